/**
 * A custom training loop: a small CNN trained with keras.ops and ops.valueAndGrad (Keras's
 * JAX-style `value_and_grad`) and plain SGD, on images it draws itself; no fit(), no dataset.
 * `npm run example -- custom_training_loop`.
 */
import * as keras from 'keras-ts';

const { ops } = keras;
type Tensor = keras.Tensor;

const SIZE = 12; // image side
const CLASSES = ['horizontal bar', 'vertical bar', 'diagonal bar'];

/** Noisy SIZE x SIZE images each holding one bar of a random class at a random place. */
function drawBars(count: number, seed: number): [Tensor, Tensor] {
  keras.utils.setRandomSeed(seed);
  const noise = keras.random.uniform([count, SIZE, SIZE, 1], { minval: 0, maxval: 0.3 }).dataSync();
  const where = keras.random.uniform([count, 2]).dataSync();
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % CLASSES.length;
    labels[n] = label;
    const a = 2 + Math.floor(where[2 * n] * (SIZE - 4));
    const b = Math.floor(where[2 * n + 1] * (SIZE - 6));
    for (let i = 0; i < 6; i++) {
      const [row, col] = label === 0 ? [a, b + i] : label === 1 ? [b + i, a] : [b + i, b + i];
      noise[(n * SIZE + row) * SIZE + col] = 1;
    }
  }
  return [keras.tensor(noise, [count, SIZE, SIZE, 1]), keras.tensor(labels, [count], 'int32')];
}

/** Glorot-uniform weights, Keras's default kernel initializer. */
function glorot(shape: number[], fanIn: number, fanOut: number): Tensor {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return keras.random.uniform(shape, { minval: -limit, maxval: limit });
}

function logits(x: Tensor, conv: Tensor, convBias: Tensor, dense: Tensor, denseBias: Tensor): Tensor {
  const features = ops.maxPool(ops.relu(ops.add(ops.conv(x, conv, { padding: 'same' }), convBias)), 2);
  return ops.add(ops.matmul(ops.reshape(features, [x.shape[0], -1]), dense), denseBias);
}

function accuracy(x: Tensor, y: Tensor, params: Tensor[]): number {
  const predicted = ops.argmax(logits(x, ...(params as [Tensor, Tensor, Tensor, Tensor])), 1);
  return ops.mean(ops.cast(ops.equal(predicted, y), 'float32')).toArray() as number;
}

function main(): void {
  console.log(`keras-ts engine: ${keras.config.backend()}`);

  const a = keras.random.normal([512, 512], { seed: 1 });
  ops.matmul(a, a);
  const start = performance.now();
  const repeats = 10;
  for (let i = 0; i < repeats; i++) ops.matmul(a, a);
  const seconds = (performance.now() - start) / 1000 / repeats;
  console.log(`matmul 512x512 @ 512x512: ${(2 * 512 ** 3 / seconds / 1e9).toFixed(1)} GFLOPS (copies in and out included)`);

  const [xTrain, yTrain] = drawBars(600, 1);
  const [xTest, yTest] = drawBars(300, 2);
  const filters = 8;
  const flat = (SIZE / 2) * (SIZE / 2) * filters;
  let params = [glorot([3, 3, 1, filters], 9, 9 * filters), ops.zeros([filters]), glorot([flat, 3], flat, 3), ops.zeros([3])];
  console.log(`\nTraining a CNN (Conv2D 3x3x${filters} -> ReLU -> MaxPool 2 -> Dense 3) to tell ${CLASSES.join(' / ')}`);
  console.log(`on ${xTrain.shape[0]} drawn ${SIZE}x${SIZE} images, with keras.ops.valueAndGrad and plain SGD:`);

  const batch = 30;
  const learningRate = 0.1;
  const lossAndGrads = ops.valueAndGrad((xb, yb, ...p) =>
    ops.mean(ops.sparseCategoricalCrossentropy(yb, logits(xb, ...(p as [Tensor, Tensor, Tensor, Tensor])), true)), [2, 3, 4, 5]);
  const trainStart = performance.now();
  for (let epoch = 1; epoch <= 5; epoch++) {
    let total = 0;
    for (let i = 0; i < xTrain.shape[0]; i += batch) {
      const xb = ops.slice(xTrain, [i, 0, 0, 0], [batch, SIZE, SIZE, 1]);
      const yb = ops.slice(yTrain, [i], [batch]);
      const { value, grads } = lossAndGrads(xb, yb, ...params);
      params = params.map((p, j) => ops.subtract(p, ops.multiply(grads[j], learningRate)));
      total += value.toArray() as number;
    }
    const loss = total / (xTrain.shape[0] / batch);
    console.log(`  epoch ${epoch}: loss ${loss.toFixed(4)}, test accuracy ${(100 * accuracy(xTest, yTest, params)).toFixed(1)} %`);
  }
  const elapsed = (performance.now() - trainStart) / 1000;
  console.log(`Trained 5 epochs in ${elapsed.toFixed(2)} s. No tensor was freed by hand: memory is the engine's job.`);
}

main();
