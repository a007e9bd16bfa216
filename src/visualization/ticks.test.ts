import assert from 'node:assert/strict';
import { test } from 'node:test';
import { niceTicks } from './ticks.js';

test('niceTicks: round steps that cover the data', () => {
  assert.deepEqual(niceTicks(1, 5, 5, true).labels, ['1', '2', '3', '4', '5']);
  assert.deepEqual(niceTicks(1, 20, 5, true).values, [0, 5, 10, 15, 20]);
  assert.deepEqual(niceTicks(0.31, 0.97).labels, ['0.2', '0.4', '0.6', '0.8', '1.0']);
  assert.deepEqual(niceTicks(0.0123, 0.0587).labels, ['0.01', '0.02', '0.03', '0.04', '0.05', '0.06']);
  assert.deepEqual(niceTicks(120, 870).values, [0, 200, 400, 600, 800, 1000]);
});

test('niceTicks: a single value is widened', () => {
  assert.deepEqual(niceTicks(1, 1, 5, true).values, [0, 1, 2]);
  assert.deepEqual(niceTicks(0.5, 0.5).labels, ['0.44', '0.46', '0.48', '0.50', '0.52', '0.54', '0.56']);
  assert.deepEqual(niceTicks(0, 0).labels, ['-1.0', '-0.5', '0.0', '0.5', '1.0']);
});
