/**
 * Reverse-mode autograd. While a gradient is being taken, every differentiable op reports its
 * inputs, its output and its backward function through `record`; `valueAndGrad` then walks
 * those records backwards. Each op's backward sits next to its forward in src/ops/.
 */
import { kernels } from './engine.js';
import { Tensor, formatShape } from './tensor.js';
import { kernelOutput, newFloat32Array } from './workspace.js';

/**
 * Gradients for each input of an op (null where it has none) from the gradient of its output.
 * `needed[i]` says whether input i's gradient is wanted at all (it is not for data, labels or
 * frozen weights); expensive backwards skip those, e.g. the first convolution's input gradient.
 */
export type Backward = (dy: Tensor, needed: readonly boolean[]) => (Tensor | null)[];

interface Node {
  op: string;
  inputs: readonly Tensor[];
  output: Tensor;
  backward: Backward;
}

class Tape {
  readonly nodes: Node[] = [];
  /** Tensors that depend on a differentiated argument; only ops on them are recorded. */
  readonly tracked = new WeakSet<Tensor>();
}

const tapes: Tape[] = [];
let paused = 0;

/** Registers a differentiable op's application; returns `output` for chaining. */
export function record(op: string, inputs: readonly Tensor[], output: Tensor, backward: Backward): Tensor {
  if (paused > 0) return output;
  for (const tape of tapes) {
    if (inputs.some((t) => tape.tracked.has(t))) {
      tape.nodes.push({ op, inputs, output, backward });
      tape.tracked.add(output);
    }
  }
  return output;
}

/** Runs `fn` without recording: backward passes and optimizer updates are not differentiated. */
export function noGrad<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

export interface ValueAndGrad {
  value: Tensor;
  grads: Tensor[];
}

/**
 * Returns a function computing `fn(...args)` and its gradient with respect to the arguments
 * numbered in `argnums` (default: all), like `jax.value_and_grad`. `fn` must return a scalar (a
 * single-element tensor); arguments it does not depend on get zero gradients.
 *
 * Example:
 *   const f = keras.ops.valueAndGrad((w) => keras.ops.sum(keras.ops.square(w)));
 *   const {value, grads: [dw]} = f(keras.tensor([1, 2]));   // value 5, dw [2, 4]
 */
export function valueAndGrad(fn: (...args: Tensor[]) => Tensor, argnums?: readonly number[]): (...args: Tensor[]) => ValueAndGrad {
  return (...args) => {
    const wrt = argnums ?? args.map((_, i) => i);
    args.forEach((a, i) => {
      if (!(a instanceof Tensor)) throw new Error(`valueAndGrad: argument ${i} must be a Tensor, received ${typeof a}`);
    });
    const sources = wrt.map((i) => {
      const a = args[i];
      if (!a) throw new Error(`valueAndGrad: argnums asks for argument ${i}, but only ${args.length} were given`);
      if (a.dtype !== 'float32') throw new Error(`valueAndGrad: argument ${i} must be float32 to be differentiated, received ${a.dtype}`);
      return a;
    });
    const tape = new Tape();
    sources.forEach((a) => tape.tracked.add(a));
    tapes.push(tape);
    let value: Tensor;
    try {
      value = fn(...args);
    } finally {
      tapes.splice(tapes.indexOf(tape), 1);
    }
    if (!(value instanceof Tensor) || value.size !== 1) {
      const got = value instanceof Tensor ? `a tensor of shape ${formatShape(value.shape)}` : typeof value;
      throw new Error(`valueAndGrad: the function must return a scalar tensor, received ${got}`);
    }
    return { value, grads: noGrad(() => backprop(tape, value, sources)) };
  };
}

/** `valueAndGrad` without the value: the gradients with respect to every argument. */
export function grad(fn: (...args: Tensor[]) => Tensor, argnums?: readonly number[]): (...args: Tensor[]) => Tensor[] {
  const both = valueAndGrad(fn, argnums);
  return (...args) => both(...args).grads;
}

function backprop(tape: Tape, target: Tensor, sources: readonly Tensor[]): Tensor[] {
  const grads = new Map<Tensor, Tensor>();
  grads.set(target, filled(target, 1));
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const node = tape.nodes[i];
    const dy = grads.get(node.output);
    if (!dy) continue;
    const dxs = node.backward(dy, node.inputs.map((t) => tape.tracked.has(t)));
    node.inputs.forEach((input, j) => {
      const dx = dxs[j];
      if (!dx || !tape.tracked.has(input)) return;
      if (dx.shape.length !== input.shape.length || dx.shape.some((d, k) => d !== input.shape[k])) {
        throw new Error(`internal error: the gradient of '${node.op}' for input ${j} has shape ${formatShape(dx.shape)}, ` +
          `expected ${formatShape(input.shape)}`);
      }
      const previous = grads.get(input);
      grads.set(input, previous ? sum2(previous, dx) : dx);
    });
  }
  return sources.map((s) => grads.get(s) ?? filled(s, 0));
}

function filled(like: Tensor, value: number): Tensor {
  const values = newFloat32Array(like.size); // zeroed already
  return new Tensor(value === 0 ? values : values.fill(value), like.shape, 'float32');
}

/** Gradient accumulation where a tensor fans out; on the kernel directly, since ops build on this file. */
function sum2(a: Tensor, b: Tensor): Tensor {
  const out = kernelOutput(a.size);
  kernels().binary('add', a.values as Float32Array, a.shape, b.values as Float32Array, b.shape, out, a.shape);
  return new Tensor(out, a.shape, 'float32');
}
