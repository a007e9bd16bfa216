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
import { deserialize } from './index.js';

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
