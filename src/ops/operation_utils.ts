/**
 * Output sizes and paddings of convolutions and pooling, shared by ops and layers.
 * Mirrors keras/src/ops/operation_utils.py (compute_conv_output_shape, compute_pooling_output_shape).
 */
import { fail } from './checks.js';

export type Padding = 'valid' | 'same';

export interface Window1D {
  out: number;
  /** Padding before the first element; 'same' puts the odd extra pixel after the last (TensorFlow's rule). */
  padBefore: number;
}

/**
 * One spatial dimension of a sliding window of `size` taps spaced `dilation` apart.
 * 'valid': only windows fully inside; 'same': ceil(input / stride) outputs.
 */
export function window1D(op: string, input: number, size: number, stride: number, dilation: number, padding: Padding): Window1D {
  const span = (size - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(input / stride);
    const total = Math.max((out - 1) * stride + span - input, 0);
    return { out, padBefore: Math.floor(total / 2) };
  }
  if (padding !== 'valid') fail(op, `padding must be 'valid' or 'same', received '${String(padding)}'`);
  const out = Math.floor((input - span) / stride) + 1;
  if (out < 1) {
    fail(op, `the window (size ${size}, dilation ${dilation}) spans ${span} pixels, more than the input's ${input}, ` +
      `so 'valid' padding leaves no output; use a smaller kernel or padding 'same'`);
  }
  return { out, padBefore: 0 };
}
