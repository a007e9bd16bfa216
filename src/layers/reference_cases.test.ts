/**
 * Every layer case Keras 3.15.1 produced (../shared/keras-reference/layers): rebuilt from its
 * serialized form, given the same weights and input, our output, gradients and updated moving
 * statistics must match Keras's.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { Tensor } from '../backend/tensor.js';
import { mean, multiply, sum } from '../ops/numpy.js';
import { sparseCategoricalCrossentropy } from '../ops/nn.js';
import { assertClose } from '../testing/assert_close.js';
import { layerCaseIds, loadLayerCase, type LayerCase } from '../testing/keras_reference.js';
import { layerValueAndGrad } from '../testing/layer_test.js';
import {
  Activation, AveragePooling2D, BatchNormalization, Conv2D, Dense, Dropout, Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D,
  MaxPooling2D, Softmax, deserialize, serialize,
} from './index.js';
import type { Layer } from './layer.js';

const ids = layerCaseIds();

test('the reference folder holds the layer cases', () => {
  assert.ok(ids.length >= 36, `found ${ids.length} layer cases`);
});

/** The case's loss: sum(output * loss_weights), or Keras's SparseCategoricalCrossentropy (mean over the batch). */
function lossOf(c: LayerCase): (y: Tensor) => Tensor {
  const { loss_weights: weights, labels } = c.arrays;
  if (labels) return (y) => mean(sparseCategoricalCrossentropy(labels, y));
  return weights ? (y) => sum(multiply(y, weights)) : sum;
}

/** Gradients agree within 1e-4 of the largest expected magnitude, elementwise relative 1e-4 on top. */
function assertGradClose(actual: Tensor, expected: Tensor, label: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${label}: shape`);
  const scale = Math.max(...Array.from(expected.values, Math.abs), 1e-6);
  assertClose(actual.values, expected.values, { atol: 1e-4 * scale, rtol: 1e-4 }, label);
}

for (const id of ids) {
  test(`Keras reference: ${id}`, () => {
    const c = loadLayerCase(id);
    const layer = deserialize(c.spec.layer);
    assert.deepEqual(layer.getConfig(), c.spec.layer.config, 'getConfig of the rebuilt layer');
    assert.deepEqual(serialize(layer), c.spec.layer, 'serialize of the rebuilt layer');
    assert.deepEqual(layer.weights.map((v) => v.name), c.spec.weights_before.map((w) => w.name), 'weight names and order');
    layer.setWeights(c.weightsBefore);

    const gradNames = Object.keys(c.grads).filter((name) => name !== 'input');
    const variables = gradNames.map((name) => layer.weights.find((v) => v.name === name)!);
    let output: Tensor | null = null;
    const loss = lossOf(c);
    const { value, grads } = layerValueAndGrad(layer, [c.arrays.input], variables, variables.map((v) => v.value), (y) => {
      output = y;
      return loss(y);
    }, { training: c.spec.training ?? false });

    assert.deepEqual(output!.shape, c.arrays.output.shape, 'output shape');
    assertClose(output!.values, c.arrays.output.values, { atol: 1e-5, rtol: 0 }, 'output');
    if (c.spec.loss_value !== undefined) assertClose(value.values, [c.spec.loss_value], { atol: 1e-5, rtol: 1e-5 }, 'loss');
    if (c.grads.input) assertGradClose(grads[0], c.grads.input, 'gradient w.r.t. the input');
    gradNames.forEach((name, i) => assertGradClose(grads[1 + i], c.grads[name], `gradient w.r.t. ${name}`));
    c.weightsAfter?.forEach((expected, i) => {
      assertClose(layer.weights[i].value.values, expected.values, { atol: 1e-5, rtol: 0 }, `${layer.weights[i].name} after the call`);
    });
  });
}

test("layers built with Keras's defaults write the configs Keras wrote", () => {
  const made: Record<string, (name: string) => Layer> = {
    conv2d_k3_same_s1_d1: (name) => new Conv2D(4, 3, { padding: 'same', name }),
    conv2d_k3_valid_nobias: (name) => new Conv2D(3, [3, 3], { useBias: false, name }),
    dense_relu: (name) => new Dense(6, { activation: 'relu', name }),
    dense_linear: (name) => new Dense(5, { name }),
    batchnorm_inference_2d: (name) => new BatchNormalization({ name }),
    maxpooling2d_default: (name) => new MaxPooling2D({ name }),
    averagepooling2d_p2_s2_valid: (name) => new AveragePooling2D(2, { name }),
    dropout_inference: (name) => new Dropout(0.5, { name }),
    flatten: (name) => new Flatten({ name }),
    globalaveragepooling2d: (name) => new GlobalAveragePooling2D({ name }),
    globalmaxpooling2d: (name) => new GlobalMaxPooling2D({ name }),
    relu_activation: (name) => new Activation('relu', { name }),
    softmax: (name) => new Softmax({ name }),
  };
  for (const [id, make] of Object.entries(made)) {
    const expected = loadLayerCase(id).spec.layer.config;
    assert.deepEqual(make(expected.name as string).getConfig(), expected, id);
  }
});

test('serialize writes build_config only for layers built on a shape, as Keras does', () => {
  const pool = new MaxPooling2D();
  const flatten = new Flatten();
  const x = loadLayerCase('maxpooling2d_default').arrays.input;
  flatten.apply(pool.apply(x));
  // Keras builds weightless pooling layers at construction, so a model's config has no build_config for them.
  assert.equal(serialize(pool).build_config, undefined);
  assert.deepEqual(serialize(flatten).build_config, { input_shape: [1, 2, 3, 2] });
});
