/** Depthwise 2-D convolution (keras.ops.depthwise_conv). Mirrors keras/src/ops/nn.py depthwise_conv. */
import { kernels } from '../backend/engine.js';
import { record } from '../backend/tape.js';
import type { Tensor } from '../backend/tensor.js';
import type { DepthwiseConv2DParams } from '../engine/kernels.js';
import { assertRank } from './checks.js';
import type { TensorLike } from './core.js';
import { conv2DParams, floatInput, type ConvOptions } from './nn.js';
import { floatTensor, floats } from './numpy.js';
import { kernelOutput } from '../backend/workspace.js';

/**
 * Convolves each channel of NHWC `inputs` with its own `depthMultiplier` filters: `kernel` has
 * shape (kH, kW, inC, depthMultiplier), and output channel ic · depthMultiplier + m is input
 * channel ic under filter m.
 *
 * Example: `depthwiseConv(x, w, {strides: 2, padding: 'same'})` for x (8, 28, 28, 32), w (3, 3, 32, 1).
 */
export function depthwiseConv(inputs: TensorLike, kernel: TensorLike, options: ConvOptions = {}): Tensor {
  const op = 'depthwiseConv';
  const x = floatInput(inputs);
  const w = floatInput(kernel);
  assertRank(op, 'inputs', x, [4]);
  assertRank(op, 'kernel', w, [4]);
  // The geometry is a convolution's whose output channels are the multiplier.
  const { outC: depthMultiplier, ...geometry } = conv2DParams(op, x.shape, w.shape, options);
  const p: DepthwiseConv2DParams = { ...geometry, depthMultiplier };
  const outShape = [p.batch, p.outH, p.outW, p.inC * depthMultiplier];
  const out = kernelOutput(p.batch * p.outH * p.outW * p.inC * depthMultiplier);
  kernels().depthwiseConv2d(floats(x), floats(w), out, p);
  return record('depthwiseConv', [x, w], floatTensor(out, outShape), (dy, needed) => {
    let dx: Tensor | null = null;
    let dw: Tensor | null = null;
    if (needed[0]) {
      const values = kernelOutput(x.size);
      kernels().depthwiseConv2dGradInput(floats(dy), floats(w), values, p);
      dx = floatTensor(values, x.shape);
    }
    if (needed[1]) {
      const values = kernelOutput(w.size);
      kernels().depthwiseConv2dGradFilter(floats(x), floats(dy), values, p);
      dw = floatTensor(values, w.shape);
    }
    return [dx, dw];
  });
}
