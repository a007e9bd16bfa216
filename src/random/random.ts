/** Random tensors and dropout. Mirrors keras/src/random/random.py. */
import { kernels } from '../backend/engine.js';
import { record } from '../backend/tape.js';
import { Tensor, type Shape } from '../backend/tensor.js';
import { fail } from '../ops/checks.js';
import { convertToTensor, full, type TensorLike } from '../ops/core.js';
import { floatTensor, floats, multiply } from '../ops/numpy.js';
import { drawSeed } from './seed_generator.js';
import { kernelOutput } from '../backend/workspace.js';

export interface UniformOptions {
  minval?: number;
  maxval?: number;
  seed?: number;
}

export interface NormalOptions {
  mean?: number;
  stddev?: number;
  seed?: number;
}

function sample(op: string, shape: Shape, seed: number | undefined, fill: (out: Float32Array, seed: number) => void): Tensor {
  const t = full(shape, 0); // validates the shape
  const out = t.values as Float32Array;
  fill(out, drawSeed(op, seed));
  return t;
}

/** Values uniform in [minval, maxval) (Keras defaults 0 and 1). */
export function uniform(shape: Shape, options: UniformOptions = {}): Tensor {
  const { minval = 0, maxval = 1 } = options;
  if (!(minval < maxval)) fail('uniform', `minval must be less than maxval, received ${minval} and ${maxval}`);
  return sample('uniform', shape, options.seed, (out, s) => kernels().randomUniform(out, s, minval, maxval));
}

/** Normally distributed values (Keras defaults mean 0, stddev 1). */
export function normal(shape: Shape, options: NormalOptions = {}): Tensor {
  const { mean = 0, stddev = 1 } = options;
  if (!(stddev >= 0)) fail('normal', `stddev must be non-negative, received ${stddev}`);
  return sample('normal', shape, options.seed, (out, s) => kernels().randomNormal(out, s, mean, stddev));
}

/** Normal values redrawn until within two standard deviations of the mean. */
export function truncatedNormal(shape: Shape, options: NormalOptions = {}): Tensor {
  const { mean = 0, stddev = 1 } = options;
  if (!(stddev >= 0)) fail('truncatedNormal', `stddev must be non-negative, received ${stddev}`);
  return sample('truncatedNormal', shape, options.seed, (out, s) => kernels().truncatedNormal(out, s, mean, stddev));
}

/**
 * Inverted dropout (keras.random.dropout): zeroes each value with probability `rate` and scales
 * the rest by 1 / (1 - rate), so the expected value is unchanged. The gradient uses the same mask.
 */
export function dropout(inputs: TensorLike, rate: number, options: { seed?: number } = {}): Tensor {
  const x = inputs instanceof Tensor ? inputs : convertToTensor(inputs);
  if (!(rate >= 0 && rate < 1)) fail('dropout', `rate must be in [0, 1), received ${rate}`);
  if (rate === 0) return x;
  const mask = kernelOutput(x.size);
  const out = kernelOutput(x.size);
  kernels().dropout(floats(x), out, mask, drawSeed('dropout', options.seed), rate);
  const kept = floatTensor(mask, x.shape);
  return record('dropout', [x], floatTensor(out, x.shape), (dy) => [multiply(dy, kept)]);
}
