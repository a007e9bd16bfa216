/**
 * Fused optimizer updates (not part of keras.ops): one kernel pass per weight instead of the
 * dozen elementwise ops the same formula takes, with identical float32 results.
 */
import { kernels } from '../backend/engine.js';
import type { Tensor } from '../backend/tensor.js';
import type { AdamParams } from '../engine/kernels.js';
import { fail } from './checks.js';
import { floatTensor, floats } from './numpy.js';
import { kernelOutput } from '../backend/workspace.js';

/** One Adam step; returns the new [weight, momentum, velocity]. */
export function adamUpdate(w: Tensor, g: Tensor, m: Tensor, v: Tensor, p: AdamParams): [Tensor, Tensor, Tensor] {
  for (const [name, t] of [['gradient', g], ['momentum', m], ['velocity', v]] as const) {
    if (t.size !== w.size) fail('adamUpdate', `${name} has ${t.size} values, the weight ${w.size}`);
  }
  const out = [kernelOutput(w.size), kernelOutput(w.size), kernelOutput(w.size)];
  kernels().adamUpdate(floats(w), floats(g), floats(m), floats(v), out[0], out[1], out[2], p);
  return [floatTensor(out[0], w.shape), floatTensor(out[1], w.shape), floatTensor(out[2], w.shape)];
}
