/**
 * Where new tensors' values are allocated. Normally on the JS heap, where the garbage collector
 * frees them. Inside `inWorkspace(step)` (the trainer wraps each fit, evaluate and predict step
 * in one) they are allocated in engine memory instead, so the kernels of the step read and
 * write them in place rather than copying every operand in and out of the engine; when the step
 * ends they are all freed at once and the tensors left behind are marked released, so a stray
 * reference fails loudly instead of reading reused memory. Users never see any of this: what a
 * step returns moves to the heap, and Variable.assign keeps only heap values.
 */
import type { Workspace } from '../engine/kernels.js';
import { kernels } from './engine.js';
import { Tensor, setStorage, setTensorCreationHook, type DType, type TypedArray } from './tensor.js';

interface Scope {
  readonly workspace: Workspace;
  /** Every tensor created in the scope over workspace storage: released when it closes. */
  readonly tensors: Tensor[];
}

const scopes: Scope[] = [];

function innermost(): Scope | undefined {
  return scopes[scopes.length - 1];
}

function register(t: Tensor): void {
  const scope = innermost()!;
  if (scope.workspace.holds(t.values)) scope.tensors.push(t);
}

/**
 * Runs one step with its new tensors in engine memory, then frees them; a tensor the step
 * returns is moved to the JS heap first. Without an engine workspace (the reference kernels,
 * or a memory that cannot be shared) the step simply runs on the heap.
 */
export function inWorkspace<T extends Tensor | void>(step: () => T): T {
  const workspace = kernels().openWorkspace();
  if (!workspace) return step();
  const scope: Scope = { workspace, tensors: [] };
  scopes.push(scope);
  setTensorCreationHook(register);
  let result: T | undefined;
  try {
    result = step();
    if (result instanceof Tensor) setStorage(result, onHeapValues(result));
    return result;
  } finally {
    for (const t of scope.tensors) if (t !== result) setStorage(t, null);
    scopes.pop();
    workspace.close();
    if (scopes.length === 0) setTensorCreationHook(null);
  }
}

/** t's values, copied to the heap if they live in an open workspace (all of them share the engine's memory). */
function onHeapValues(t: Tensor): TypedArray {
  return innermost()?.workspace.holds(t.values) ? t.values.slice() : t.values;
}

/** t itself, or a heap copy of it if its values die with a workspace (for values kept across steps). */
export function onHeap(t: Tensor): Tensor {
  const values = onHeapValues(t);
  return values === t.values ? t : new Tensor(values, t.shape, t.dtype);
}

/** `size` zeroed float32 values, in the innermost workspace if one is open. */
export function newFloat32Array(size: number): Float32Array {
  return innermost()?.workspace.floats(size, true) ?? new Float32Array(size);
}

/**
 * As newFloat32Array, for an array a kernel then fills completely: a workspace skips zeroing it,
 * which would cost as much memory traffic as a cheap kernel.
 */
export function kernelOutput(size: number): Float32Array {
  return innermost()?.workspace.floats(size, false) ?? new Float32Array(size);
}

/** `size` zeroed int32 values, in the innermost workspace if one is open. */
export function newInt32Array(size: number): Int32Array {
  return innermost()?.workspace.ints(size) ?? new Int32Array(size);
}

/** Zeroed storage for `size` values of `dtype`; uint8 and bool always live on the heap. */
export function allocate(dtype: DType, size: number): TypedArray {
  if (dtype === 'float32') return newFloat32Array(size);
  if (dtype === 'int32') return newInt32Array(size);
  return new Uint8Array(size);
}
