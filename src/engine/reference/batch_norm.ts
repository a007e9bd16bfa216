/**
 * Reference batch-normalization kernels: x is `outer×channels×inner` and every statistic is
 * per channel, over the outer and inner positions. Sums are in double precision.
 */
import type { BatchNormKernels, BatchNormParams, F32 } from '../kernels.js';

/** The flat indices of channel c's elements. */
function* channelIndices(p: BatchNormParams, c: number): Generator<number> {
  for (let o = 0; o < p.outer; o++) {
    for (let i = 0; i < p.inner; i++) yield (o * p.channels + c) * p.inner + i;
  }
}

/** Sum of f(index) over channel c's elements. */
function channelSum(p: BatchNormParams, c: number, f: (index: number) => number): number {
  let s = 0;
  for (const j of channelIndices(p, c)) s += f(j);
  return s;
}

/** out = gamma * (x - mean) / sqrt(variance + epsilon) + beta on channel c. */
function normalize(
  x: F32, out: F32, p: BatchNormParams, c: number, mean: number, variance: number, gamma: F32 | null, beta: F32 | null,
): void {
  const scale = (gamma ? gamma[c] : 1) / Math.sqrt(variance + p.epsilon);
  for (const j of channelIndices(p, c)) out[j] = (x[j] - mean) * scale + (beta ? beta[c] : 0);
}

/** Batch normalization as Keras defines it, channel by channel. */
export const referenceBatchNorm: BatchNormKernels = {
  batchNormTrain(x, gamma, beta, out, mean, variance, p) {
    const n = p.outer * p.inner;
    for (let c = 0; c < p.channels; c++) {
      const mu = channelSum(p, c, (j) => x[j]) / n;
      // The biased variance, as Keras normalizes with; the moving variance is the caller's.
      const v = channelSum(p, c, (j) => (x[j] - mu) ** 2) / n;
      mean[c] = mu;
      variance[c] = v;
      normalize(x, out, p, c, mu, v, gamma, beta);
    }
  },

  batchNormInfer(x, mean, variance, gamma, beta, out, p) {
    for (let c = 0; c < p.channels; c++) normalize(x, out, p, c, mean[c], variance[c], gamma, beta);
  },

  batchNormTrainGrad(x, dy, gamma, mean, variance, dx, dgamma, dbeta, p) {
    const n = p.outer * p.inner;
    for (let c = 0; c < p.channels; c++) {
      const inv = 1 / Math.sqrt(variance[c] + p.epsilon);
      const xhat = (j: number) => (x[j] - mean[c]) * inv;
      const sumDy = channelSum(p, c, (j) => dy[j]);
      const sumDyXhat = channelSum(p, c, (j) => dy[j] * xhat(j));
      if (dbeta) dbeta[c] = sumDy;
      if (dgamma) dgamma[c] = sumDyXhat;
      // mean and variance depend on every x of the channel: their paths give the two mean terms
      const g = (gamma ? gamma[c] : 1) * inv;
      for (const j of channelIndices(p, c)) dx[j] = g * (dy[j] - sumDy / n - xhat(j) * sumDyXhat / n);
    }
  },
};
