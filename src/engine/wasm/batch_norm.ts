/** WASM batch-normalization kernels (assembly/batch_norm.ts); threads split the channels. */
import type { BatchNormKernels, BatchNormParams } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

// Passes over x, each a few flops per element, for the decision to split across threads.
const TRAIN_FLOPS = 8;
const INFER_FLOPS = 3;
const GRAD_FLOPS = 10;

export function batchNormKernels(rt: WasmRuntime): BatchNormKernels {
  /** Runs kernel `name` over the channels with `args`, the shape and four column arrays of scratch. */
  const launch = (name: string, args: number[], p: BatchNormParams, flopsPerElement: number): void => {
    const width = p.channels * p.inner;
    const scratch = rt.alloc(4 * width * 4);
    rt.parallel(name, p.channels, [...args, p.outer, p.channels, p.inner, p.epsilon, scratch], p.outer * width * flopsPerElement);
  };
  return {
    batchNormTrain(x, gamma, beta, out, mean, variance, p) {
      rt.call([x, gamma, beta], [out, mean, variance], (ins, outs) => launch('batchNormTrain', [...ins, ...outs], p, TRAIN_FLOPS));
    },
    batchNormInfer(x, mean, variance, gamma, beta, out, p) {
      rt.call([x, mean, variance, gamma, beta], [out], (ins, outs) => launch('batchNormInfer', [...ins, ...outs], p, INFER_FLOPS));
    },
    batchNormTrainGrad(x, dy, gamma, mean, variance, dx, dgamma, dbeta, p) {
      rt.call([x, dy, gamma, mean, variance], [dx, dgamma, dbeta], (ins, outs) => launch('batchNormTrainGrad', [...ins, ...outs], p, GRAD_FLOPS));
    },
  };
}
