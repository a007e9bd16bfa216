/**
 * One benchmark peer process: keras-ts trains one model (`node run_keras_ts.js <model> <batches>
 * <predictImages> <threads>`, with KERAS_TS_THREADS set by the parent before the engine starts)
 * and prints a PeerResult as JSON.
 */
import * as keras from '../index.js';
import { kerasModel } from './keras_models.js';
import { CLASSES, MODELS, PREDICT_BATCH, measure, peerArgs, syntheticBatches, syntheticImages } from './models.js';

const args = peerArgs(process.argv.slice(2));
const spec = MODELS[args.model];
const model = kerasModel(args.model);
const bs = spec.batchSize;
const batches = syntheticBatches(spec, args.batches).map(({ images, labels }) => [
  keras.tensor(images, [bs, ...spec.inputShape]), keras.tensor(labels, [bs, CLASSES]),
]);
const xPredict = keras.tensor(syntheticImages(spec, 0, args.predictImages), [args.predictImages, ...spec.inputShape]);
const result = await measure('keras-ts', args, {
  trainBatch: async (b) => {
    model.trainOnBatch(batches[b][0], batches[b][1]);
  },
  predict: async () => {
    await model.predict(xPredict, { batchSize: PREDICT_BATCH, verbose: 0 });
  },
});
console.log(JSON.stringify({ ...result, note: keras.config.backend() }));
process.exit(0);
