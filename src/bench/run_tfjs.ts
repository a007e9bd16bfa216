/**
 * One benchmark peer process: TensorFlow.js (`@tensorflow/tfjs`, cpu backend) trains one model
 * (`node run_tfjs.js <model> <batches> <predictImages> <threads>`) and prints a PeerResult as
 * JSON. The cpu backend is plain single-threaded JavaScript whatever the thread count.
 */
import * as tf from '@tensorflow/tfjs';
import { CLASSES, MODELS, PREDICT_BATCH, measure, peerArgs, syntheticBatches, syntheticImages, type ModelName } from './models.js';

function layerList(name: ModelName): tf.layers.Layer[] {
  const inputShape = MODELS[name].inputShape;
  switch (name) {
    case 'M1':
      return [
        tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 128, activation: 'relu' }),
        tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
      ];
    case 'M2':
      return [
        tf.layers.conv2d({ filters: 32, kernelSize: 5, activation: 'relu', inputShape }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.dropout({ rate: 0.2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 128, activation: 'relu' }),
        tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
      ];
    case 'M3':
      return [
        tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape }),
        tf.layers.batchNormalization(),
        tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.dropout({ rate: 0.25 }),
        tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', strides: 2, activation: 'relu' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
      ];
  }
}

await tf.setBackend('cpu');
const args = peerArgs(process.argv.slice(2));
const spec = MODELS[args.model];
const bs = spec.batchSize;
const model = tf.sequential({ layers: layerList(args.model) });
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
const batches = syntheticBatches(spec, args.batches).map(({ images, labels }) => [
  tf.tensor(images, [bs, ...spec.inputShape]), tf.tensor(labels, [bs, CLASSES]),
]);
const xPredict = tf.tensor(syntheticImages(spec, 0, args.predictImages), [args.predictImages, ...spec.inputShape]);
const result = await measure('tfjs-cpu', args, {
  trainBatch: async (b) => {
    await model.trainOnBatch(batches[b][0], batches[b][1]);
  },
  predict: async () => {
    const out = model.predict(xPredict, { batchSize: PREDICT_BATCH }) as tf.Tensor;
    await out.data();
    out.dispose();
  },
});
console.log(JSON.stringify({ ...result, note: `tfjs ${tf.version.tfjs} ${tf.getBackend()}, 1 thread` }));
process.exit(0);
