/**
 * Finite-difference gradient checks (in the manner of ConvNetJS's NeuralNetSpec): the
 * gradient autograd gives for loss = sum(fn(...inputs) * w), with a fixed random w, against
 * central differences of that loss. The loss is summed in float64 from the float32 outputs.
 */
import assert from 'node:assert/strict';
import { Tensor } from '../backend/tensor.js';
import { valueAndGrad } from '../backend/tape.js';
import { multiply, sum } from '../ops/numpy.js';
import { randomF32 } from './random.js';

export interface GradCheckOptions {
  /** Step of the central difference. */
  eps?: number;
  /** Allowed |numeric - analytic| relative to the largest analytic gradient of that input. */
  tolerance?: number;
  /** At most this many elements of each input are perturbed. */
  samples?: number;
}

export function checkGradients(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: GradCheckOptions = {}): void {
  const { eps = 1e-2, tolerance = 2e-2, samples = 24 } = options;
  const probe = fn(...inputs);
  assert.equal(probe.dtype, 'float32', 'the checked function must return float32');
  const w = new Tensor(randomF32(probe.size, 1234, 0.5, 1.5), probe.shape, 'float32');
  const loss = (...xs: Tensor[]): number => {
    const y = fn(...xs).values;
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i] * w.values[i];
    return s;
  };
  const { grads } = valueAndGrad((...xs) => sum(multiply(fn(...xs), w)))(...inputs);
  inputs.forEach((x, i) => {
    const analytic = grads[i].values;
    const scale = Math.max(1e-3, ...Array.from(analytic, Math.abs));
    const step = Math.max(1, Math.floor(x.size / samples));
    for (let j = 0; j < x.size; j += step) {
      const shifted = (delta: number): Tensor[] => inputs.map((t, k) => {
        if (k !== i) return t;
        const v = Float32Array.from(t.values);
        v[j] += delta;
        return new Tensor(v, t.shape, 'float32');
      });
      const numeric = (loss(...shifted(eps)) - loss(...shifted(-eps))) / (2 * eps);
      const error = Math.abs(numeric - analytic[j]) / scale;
      if (!(error <= tolerance)) {
        assert.fail(`input ${i} element ${j}: analytic ${analytic[j]}, numeric ${numeric} (relative error ${error.toFixed(4)})`);
      }
    }
  });
}

/** A float32 tensor of uniform values in [lo, hi) (optionally pushed away from `avoid` points). */
export function uniformTensor(shape: number[], seed: number, lo = -1, hi = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(randomF32(size, seed, lo, hi), shape, 'float32');
}

/** Values of magnitude in [0.2, 1) with random signs: no kinks at 0, distinct values. */
export function awayFromZero(shape: number[], seed: number): Tensor {
  const t = uniformTensor(shape, seed, 0.2, 1);
  const signs = randomF32(t.size, seed + 1);
  const v = t.values as Float32Array;
  for (let i = 0; i < v.length; i++) if (signs[i] < 0) v[i] = -v[i];
  return t;
}

/**
 * A random arrangement of evenly spaced values in [-1, 1): every value differs from every other
 * by more than the finite-difference step, so max-like ops have no near-ties to cross.
 */
export function distinctValues(shape: number[], seed: number): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const order = randomF32(size, seed).map((_, i) => i);
  const keys = randomF32(size, seed);
  const ranks = Array.from(order).sort((a, b) => keys[a] - keys[b]);
  const values = new Float32Array(size);
  ranks.forEach((index, rank) => (values[index] = -1 + (2 * rank) / size));
  return new Tensor(values, shape, 'float32');
}
