/**
 * The reference engine: plain TypeScript loops, written to be obviously correct rather than
 * fast. It is the living definition of every kernel; the WASM engine is tested against it.
 */
import type { Kernels } from '../kernels.js';
import { referenceBatchNorm } from './batch_norm.js';
import { referenceConv } from './conv.js';
import { referenceDepthwiseConv } from './depthwise_conv.js';
import { referenceElementwise } from './elementwise.js';
import { referenceGemm } from './gemm.js';
import { referenceOptimizer } from './optimizer.js';
import { referencePool } from './pool.js';
import { referenceRandom } from './random.js';
import { referenceReduction } from './reduction.js';

export const referenceKernels: Kernels = {
  name: 'reference',
  // Plain typed arrays everywhere: the reference has no memory of its own to keep tensors in.
  openWorkspace: () => null,
  ...referenceGemm,
  ...referenceConv,
  ...referenceDepthwiseConv,
  ...referencePool,
  ...referenceBatchNorm,
  ...referenceRandom,
  ...referenceElementwise,
  ...referenceReduction,
  ...referenceOptimizer,
};
