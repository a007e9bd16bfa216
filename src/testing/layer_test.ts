/**
 * Basic checks every layer gets, in the manner of Keras's run_layer_test
 * (keras/src/testing/test_case.py): output shapes eager and symbolic, weight counts,
 * getConfig -> fromConfig -> getConfig, serialize/deserialize, and one training step.
 */
import assert from 'node:assert/strict';
import type { KerasTensor } from '../backend/keras_tensor.js';
import { Tensor, type Shape } from '../backend/tensor.js';
import { valueAndGrad, type ValueAndGrad } from '../backend/tape.js';
import type { Variable } from '../backend/variable.js';
import { Input } from '../layers/core/input_layer.js';
import { deserialize, serialize } from '../layers/index.js';
import type { CallOptions, Layer } from '../layers/layer.js';
import { multiply, sum } from '../ops/numpy.js';
import type { SerializableClass } from '../saving/serialization_lib.js';
import { snakeKeys } from '../utils/naming.js';
import { randomF32 } from './random.js';

export interface LayerTestOptions {
  /** Full input shape with the batch size; a list of shapes for layers taking several inputs. */
  inputShape: Shape | Shape[];
  /** Full output shape with the batch size. */
  expectedOutputShape: Shape;
  expectedTrainableWeights?: number;
  expectedNonTrainableWeights?: number;
  /** Passed to every call (e.g. `{training: true}`). */
  callOptions?: CallOptions;
  /** Take a training step (default: when the layer has trainable weights). */
  runTrainingCheck?: boolean;
}

type LayerClass = SerializableClass<Layer>;

/**
 * Computes `loss(layer(inputs))` and its gradients with respect to `inputs` and `weights`, after
 * setting the layer's `variables` to `weights` (so the layer computes with the very tensors
 * being differentiated). Returns the gradients in that order: inputs, then weights.
 */
export function layerValueAndGrad(layer: Layer, inputs: readonly Tensor[], variables: readonly Variable[], weights: readonly Tensor[],
  loss: (output: Tensor) => Tensor, callOptions: CallOptions = {}): ValueAndGrad {
  const n = inputs.length;
  return valueAndGrad((...args) => {
    variables.forEach((v, i) => v.assign(args[n + i]));
    const output = n === 1 ? layer.apply(args[0], callOptions) : layer.apply(args.slice(0, n), callOptions);
    return loss(output);
  })(...inputs, ...weights);
}

/** A fixed random tensor of `shape` (seeded, so runs are repeatable). */
export function randomTensor(shape: Shape, seed: number, lo = -1, hi = 1): Tensor {
  return new Tensor(randomF32(shape.reduce((n, d) => n * d, 1), seed, lo, hi), shape, 'float32');
}

/**
 * Runs the basic layer checks.
 *
 * Example:
 *   test('Conv2D basics', () => runLayerTest(Conv2D, {filters: 5, kernelSize: 2},
 *     {inputShape: [3, 5, 5, 4], expectedOutputShape: [3, 4, 4, 5], expectedTrainableWeights: 2}));
 *   test('Add basics', () => runLayerTest(() => new Add(), {inputShape: [[2, 3], [2, 3]], expectedOutputShape: [2, 3]}));
 */
export function runLayerTest(cls: LayerClass, initKwargs: Record<string, unknown>, options: LayerTestOptions): void;
export function runLayerTest(factory: () => Layer, options: LayerTestOptions): void;
export function runLayerTest(make: LayerClass | (() => Layer), a: Record<string, unknown> | LayerTestOptions, b?: LayerTestOptions): void {
  // Keyword arguments go through fromConfig, which splits out the positional ones.
  const create = 'fromConfig' in make ? () => make.fromConfig(snakeKeys(a)) : make as () => Layer;
  const options = (b ?? a) as LayerTestOptions;
  const many = Array.isArray(options.inputShape[0]);
  const shapes = (many ? options.inputShape : [options.inputShape]) as Shape[];
  const inputs = shapes.map((s, i) => randomTensor(s, 17 + i));
  const callOptions = options.callOptions ?? {};
  const call = (layer: Layer): Tensor => (many ? layer.apply(inputs, callOptions) : layer.apply(inputs[0], callOptions));

  // 1. Eager output shape and weight counts.
  const layer = create();
  const output = call(layer);
  assert.deepEqual(output.shape, options.expectedOutputShape, `${layer.className}: eager output shape`);
  if (options.expectedTrainableWeights !== undefined) {
    assert.equal(layer.trainableWeights.length, options.expectedTrainableWeights, `${layer.className}: trainable weights`);
  }
  if (options.expectedNonTrainableWeights !== undefined) {
    assert.equal(layer.nonTrainableWeights.length, options.expectedNonTrainableWeights, `${layer.className}: non-trainable weights`);
  }

  // 2. Symbolic output shape, with the batch size given and unknown.
  for (const batch of [shapes[0][0], null]) {
    const symbolic = shapes.map((s) => Input({ batchShape: [batch, ...s.slice(1)] }));
    const out: KerasTensor = many ? create().apply(symbolic, callOptions) : create().apply(symbolic[0], callOptions);
    assert.deepEqual(out.shape, [batch, ...options.expectedOutputShape.slice(1)], `${layer.className}: symbolic output shape (batch ${batch})`);
  }

  // 3. getConfig -> fromConfig -> getConfig, and serialize -> deserialize -> serialize.
  const config = layer.getConfig();
  const revived = (layer.constructor as unknown as LayerClass).fromConfig(config);
  assert.deepEqual(revived.getConfig(), config, `${layer.className}: getConfig after fromConfig`);
  const serialized = serialize(layer);
  assert.equal(serialized.class_name, layer.className);
  assert.deepEqual(serialize(deserialize(serialized)), serialized, `${layer.className}: serialize after deserialize`);

  // 4. One training step: sum(output * w) with a fixed random w, since plain sum(output) has
  // zero gradients through a softmax or a normalization.
  const trainable = layer.trainableWeights;
  if (!(options.runTrainingCheck ?? trainable.length > 0)) return;
  const w = randomTensor(output.shape, 99, 0.5, 1.5);
  const { value, grads } = layerValueAndGrad(layer, inputs, trainable, trainable.map((v) => v.value),
    (y) => sum(multiply(y, w)), { ...callOptions, training: true });
  assert.ok(Number.isFinite(value.values[0]), `${layer.className}: finite loss`);
  grads.slice(inputs.length).forEach((g, i) => {
    const v = trainable[i];
    assert.deepEqual(g.shape, v.shape, `${layer.className}: gradient shape of ${v.name}`);
    assert.ok(g.values.every(Number.isFinite), `${layer.className}: finite gradient of ${v.name}`);
    assert.ok(g.values.some((x) => x !== 0), `${layer.className}: non-zero gradient of ${v.name}`);
  });
}
