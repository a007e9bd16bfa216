/**
 * Test support: runs an optimizer for a few steps on two small variables and compares every step
 * (variables and slot variables) with a float64 reimplementation of Keras's formula.
 */
import assert from 'node:assert/strict';
import type { Tensor } from '../backend/tensor.js';
import { Variable } from '../backend/variable.js';
import { convertToTensor } from '../ops/core.js';
import { assertClose } from '../testing/assert_close.js';
import type { Optimizer } from './optimizer.js';

/** A slot of the reference state, created on first use with `init` (Keras's slot names: 'momentum', ...). */
export type SlotGetter = (name: string, init?: number) => Float64Array;

/** Updates one variable `w` in place from `g` at step `t` (1-based), as the optimizer's update_step does. */
export type ReferenceUpdate = (w: Float64Array, g: Float64Array, t: number, slot: SlotGetter) => void;

export interface Reference {
  update: ReferenceUpdate;
  /** Gradient clipping, applied to all gradients of a step. */
  clip?: (grads: Float64Array[]) => Float64Array[];
  /** Decoupled weight decay `w -= w * rate * lr`, applied before the update. */
  weightDecay?: { rate: number; lr: number };
}

export const SHAPES = [[2, 3], [4]];
const NAMES = ['kernel', 'bias'];

/** Deterministic values in [-scale, scale], different for each variable, element and step. */
function values(n: number, variable: number, step: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, (_, j) => scale * Math.sin(1 + 0.7 * variable + 1.3 * j + 2.1 * step));
}

/** Two variables 'dense/kernel' (2, 3) and 'dense/bias' (4,) with fixed starting values. */
export function makeVariables(): Variable[] {
  return SHAPES.map((shape, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return new Variable(convertToTensor(values(size, i, 0, 1), shape), { name: NAMES[i], path: `dense/${NAMES[i]}` });
  });
}

/** The gradients of step `t`; `scale` sets their magnitude. */
export function makeGradients(t: number, scale = 0.5): Float32Array[] {
  return SHAPES.map((shape, i) => values(shape.reduce((a, b) => a * b, 1), i, t, scale));
}

/** The gradients of step `t` as tensors. */
export function gradientTensors(t: number, scale = 0.5): Tensor[] {
  return makeGradients(t, scale).map((g, i) => convertToTensor(g, SHAPES[i]));
}

/**
 * Applies `steps` updates with `optimizer` and checks, after each, the variables and every slot
 * the reference created against the optimizer's variable named `dense_<kernel|bias>_<slot>`.
 */
export function checkAgainstReference(optimizer: Optimizer, reference: Reference, steps = 4, gradScale = 0.5): void {
  const variables = makeVariables();
  const ws = variables.map((v) => Float64Array.from(v.value.values));
  const slots = variables.map(() => new Map<string, Float64Array>());
  const tol = { atol: 1e-7, rtol: 1e-6 };
  for (let t = 1; t <= steps; t++) {
    const grads = makeGradients(t, gradScale);
    optimizer.applyGradients(grads.map((g, i) => [convertToTensor(g, SHAPES[i]), variables[i]] as const));

    let g64: Float64Array[] = grads.map((g) => Float64Array.from(g));
    if (reference.clip) g64 = reference.clip(g64);
    const decay = reference.weightDecay;
    if (decay) ws.forEach((w) => w.forEach((x, j) => (w[j] = x - x * decay.rate * decay.lr)));
    ws.forEach((w, i) => reference.update(w, g64[i], t, (name, init = 0) => {
      if (!slots[i].has(name)) slots[i].set(name, new Float64Array(w.length).fill(init));
      return slots[i].get(name)!;
    }));

    variables.forEach((v, i) => assertClose(v.value.values, ws[i], tol, `step ${t}: ${v.path}`));
    slots.forEach((byName, i) => byName.forEach((expected, name) => {
      const slot = optimizer.variables.find((o) => o.name === `dense_${NAMES[i]}_${name}`);
      assert.ok(slot, `no optimizer variable 'dense_${NAMES[i]}_${name}' among ${optimizer.variables.map((o) => o.name)}`);
      assertClose(slot.value.values, expected, tol, `step ${t}: slot ${slot.path}`);
    }));
  }
  assert.equal(optimizer.iterations.values[0], steps);
}
