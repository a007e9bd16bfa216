/**
 * NumPy-style ops: arithmetic with broadcasting, elementwise math, reductions, matmul and shape
 * manipulation. Mirrors keras/src/ops/numpy.py. Each differentiable op records its backward
 * right where it computes its forward.
 */
import { kernels } from '../backend/engine.js';
import { record } from '../backend/tape.js';
import { Tensor, formatShape, sizeOf, type DType, type Shape, type TypedArray } from '../backend/tensor.js';
import type { BinaryOp, ReduceOp, UnaryOp } from '../engine/kernels.js';
import { assertTensor, describe, fail, normalizeAxes, normalizeAxis, sameShape } from './checks.js';
import { cast, convertToTensor, reshape, type TensorLike } from './core.js';
import { allocate, kernelOutput, newFloat32Array, newInt32Array } from '../backend/workspace.js';

// ---- Helpers shared by the ops in this file and nn.ts ----------------------------------------

/** The values of `x` as float32 (a copy for other dtypes). */
export function floats(x: Tensor): Float32Array {
  return x.dtype === 'float32' ? (x.values as Float32Array) : Float32Array.from(x.values);
}

export function floatTensor(values: Float32Array, shape: Shape): Tensor {
  return new Tensor(values, shape, 'float32');
}

/** Converts an op's argument; plain numbers take the other operand's dtype when they fit it. */
function operand(op: string, arg: string, x: TensorLike, other?: TensorLike): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number' && other instanceof Tensor && other.dtype !== 'float32' && Number.isInteger(x)) {
    return convertToTensor(x, [], 'int32');
  }
  if (x === undefined || x === null) fail(op, `argument '${arg}' is missing`);
  return convertToTensor(x);
}

/** The broadcast shape of a and b under NumPy's rules. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) fail(op, `cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)}`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

function padShape(shape: Shape, rank: number): number[] {
  return [...Array<number>(rank - shape.length).fill(1), ...shape];
}

/** `x` broadcast to `shape` (keras.ops.broadcast_to); its gradient sums back. */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const target = broadcastShapes('broadcastTo', x.shape, shape);
  if (!sameShape(target, shape)) fail('broadcastTo', `cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`);
  if (sameShape(x.shape, shape)) return x;
  const out = kernelOutput(sizeOf(shape));
  kernels().binary('add', floats(x), padShape(x.shape, shape.length), newFloat32Array(1), padShape([], shape.length), out, shape);
  const y = withDtype(out, shape, x.dtype);
  return record('broadcastTo', [x], y, (dy) => [sumTo(dy, x.shape)]);
}

/** Sums `dy` over the axes along which a tensor of `shape` was broadcast to dy's shape. */
export function sumTo(dy: Tensor, shape: Shape): Tensor {
  if (sameShape(dy.shape, shape)) return dy;
  const padded = padShape(shape, dy.rank);
  const axes = padded.flatMap((d, i) => (d === 1 && dy.shape[i] !== 1) || i < dy.rank - shape.length ? [i] : []);
  return reshape(sum(dy, axes), shape);
}

function withDtype(values: Float32Array, shape: Shape, dtype: DType): Tensor {
  if (dtype === 'float32') return floatTensor(values, shape);
  const out = allocate(dtype, values.length);
  out.set(values);
  return new Tensor(out, shape, dtype);
}

// ---- Elementwise binary ops ------------------------------------------------------------------

/**
 * The gradients of a binary op for its two inputs, before broadcasting is summed out. `needed`
 * says which are wanted: one that is not (data, labels, a constant, a dropout mask) may be
 * null and is then never computed.
 */
type BinaryBackward = (a: Tensor, b: Tensor, y: Tensor, dy: Tensor, needed: readonly boolean[]) => [Tensor | null, Tensor | null];

const COMPARISONS = new Set<BinaryOp>(['equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal']);

function binary(name: string, kernelOp: BinaryOp, x1: TensorLike, x2: TensorLike, backward?: BinaryBackward): Tensor {
  const a = operand(name, 'x1', x1, x2);
  const b = operand(name, 'x2', x2, a);
  const shape = broadcastShapes(name, a.shape, b.shape);
  const out = kernelOutput(sizeOf(shape));
  kernels().binary(kernelOp, floats(a), padShape(a.shape, shape.length), floats(b), padShape(b.shape, shape.length), out, shape);
  // Integer arithmetic stays integral (exact below 2^24); division and powers give floats.
  const integral = a.dtype !== 'float32' && b.dtype !== 'float32' && kernelOp !== 'div' && kernelOp !== 'pow';
  const dtype: DType = COMPARISONS.has(kernelOp) ? 'bool' : integral ? 'int32' : 'float32';
  const y = withDtype(out, shape, dtype);
  if (!backward || dtype !== 'float32') return y;
  return record(name, [a, b], y, (dy, needed) => {
    const [da, db] = backward(a, b, y, dy, needed);
    return [needed[0] && da ? sumTo(da, a.shape) : null, needed[1] && db ? sumTo(db, b.shape) : null];
  });
}

export function add(x1: TensorLike, x2: TensorLike): Tensor {
  return binary('add', 'add', x1, x2, (_a, _b, _y, dy) => [dy, dy]);
}

export function subtract(x1: TensorLike, x2: TensorLike): Tensor {
  return binary('subtract', 'sub', x1, x2, (_a, _b, _y, dy, needed) => [dy, needed[1] ? negative(dy) : null]);
}

export function multiply(x1: TensorLike, x2: TensorLike): Tensor {
  return binary('multiply', 'mul', x1, x2, (a, b, _y, dy, needed) =>
    [needed[0] ? multiply(dy, b) : null, needed[1] ? multiply(dy, a) : null]);
}

export function divide(x1: TensorLike, x2: TensorLike): Tensor {
  return binary('divide', 'div', x1, x2, (_a, b, y, dy, needed) => {
    const da = divide(dy, b);
    return [da, needed[1] ? negative(multiply(da, y)) : null];
  });
}

/** Elementwise maximum; where x1 == x2 the gradient goes to x1, as in TensorFlow. */
export function maximum(x1: TensorLike, x2: TensorLike): Tensor {
  return binary('maximum', 'maximum', x1, x2, (a, b, _y, dy, needed) => {
    const pick = cast(greaterEqual(a, b), 'float32');
    return [needed[0] ? multiply(dy, pick) : null, needed[1] ? multiply(dy, subtract(1, pick)) : null];
  });
}

/** Elementwise minimum; where x1 == x2 the gradient goes to x1, as in TensorFlow. */
export function minimum(x1: TensorLike, x2: TensorLike): Tensor {
  return binary('minimum', 'minimum', x1, x2, (a, b, _y, dy, needed) => {
    const pick = cast(lessEqual(a, b), 'float32');
    return [needed[0] ? multiply(dy, pick) : null, needed[1] ? multiply(dy, subtract(1, pick)) : null];
  });
}

/** x1 ** x2; the gradient for x2 is taken as 0 where x1 <= 0 (log undefined), as TensorFlow does. */
export function power(x1: TensorLike, x2: TensorLike): Tensor {
  return binary('power', 'pow', x1, x2, (a, b, y, dy, needed) => {
    const da = needed[0] ? multiply(dy, multiply(b, power(a, subtract(b, 1)))) : null;
    if (!needed[1]) return [da, null];
    const positive = cast(greater(a, 0), 'float32');
    const safeLog = log(add(multiply(a, positive), subtract(1, positive)));
    return [da, multiply(dy, multiply(multiply(y, safeLog), positive))];
  });
}

export const equal = (x1: TensorLike, x2: TensorLike): Tensor => binary('equal', 'equal', x1, x2);
export const notEqual = (x1: TensorLike, x2: TensorLike): Tensor => binary('notEqual', 'not_equal', x1, x2);
export const less = (x1: TensorLike, x2: TensorLike): Tensor => binary('less', 'less', x1, x2);
export const lessEqual = (x1: TensorLike, x2: TensorLike): Tensor => binary('lessEqual', 'less_equal', x1, x2);
export const greater = (x1: TensorLike, x2: TensorLike): Tensor => binary('greater', 'greater', x1, x2);
export const greaterEqual = (x1: TensorLike, x2: TensorLike): Tensor => binary('greaterEqual', 'greater_equal', x1, x2);

/** Clips values to [min, max]; the gradient passes where the value was inside. */
export function clip(x: TensorLike, min: number, max: number): Tensor {
  if (!(min <= max)) fail('clip', `min must not exceed max, received min=${min}, max=${max}`);
  return minimum(maximum(x, min), max);
}

// ---- Elementwise unary ops -------------------------------------------------------------------

/** Applies a unary kernel; ops whose derivative is zero almost everywhere record none. */
export function unary(name: string, kernelOp: UnaryOp, x: TensorLike, alpha = 0, differentiable = true): Tensor {
  const t = operand(name, 'x', x);
  const p = { alpha };
  const out = kernelOutput(t.size);
  kernels().unary(kernelOp, floats(t), out, p);
  const y = floatTensor(out, t.shape);
  if (!differentiable || t.dtype !== 'float32') return y;
  return record(name, [t], y, (dy) => {
    const dx = kernelOutput(t.size);
    kernels().unaryGrad(kernelOp, floats(t), out, floats(dy), dx, p);
    return [floatTensor(dx, t.shape)];
  });
}

export const negative = (x: TensorLike): Tensor => unary('negative', 'neg', x);
export const abs = (x: TensorLike): Tensor => unary('abs', 'abs', x);
export const square = (x: TensorLike): Tensor => unary('square', 'square', x);
export const sqrt = (x: TensorLike): Tensor => unary('sqrt', 'sqrt', x);
export const rsqrt = (x: TensorLike): Tensor => unary('rsqrt', 'rsqrt', x);
export const reciprocal = (x: TensorLike): Tensor => unary('reciprocal', 'reciprocal', x);
export const exp = (x: TensorLike): Tensor => unary('exp', 'exp', x);
export const expm1 = (x: TensorLike): Tensor => unary('expm1', 'expm1', x);
export const log = (x: TensorLike): Tensor => unary('log', 'log', x);
export const log1p = (x: TensorLike): Tensor => unary('log1p', 'log1p', x);
export const sin = (x: TensorLike): Tensor => unary('sin', 'sin', x);
export const cos = (x: TensorLike): Tensor => unary('cos', 'cos', x);
export const tanh = (x: TensorLike): Tensor => unary('tanh', 'tanh', x);
export const sign = (x: TensorLike): Tensor => unary('sign', 'sign', x, 0, false);
export const floor = (x: TensorLike): Tensor => unary('floor', 'floor', x, 0, false);
export const ceil = (x: TensorLike): Tensor => unary('ceil', 'ceil', x, 0, false);
/** Rounds half to even, as NumPy does. */
export const round = (x: TensorLike): Tensor => unary('round', 'round', x, 0, false);

// ---- Reductions ------------------------------------------------------------------------------

export type Axis = number | readonly number[] | null;

function reduction(name: string, kernelOp: ReduceOp, x: TensorLike, axis: Axis | undefined, keepdims: boolean): Tensor {
  const t = operand(name, 'x', x);
  const axes = normalizeAxes(name, axis, t.rank);
  if (axes.some((a) => t.shape[a] === 0) && (kernelOp === 'max' || kernelOp === 'min')) {
    fail(name, `cannot reduce an empty axis of a tensor of shape ${formatShape(t.shape)}`);
  }
  const kept = t.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const shape = keepdims ? kept : t.shape.filter((_, i) => !axes.includes(i));
  const out = kernelOutput(sizeOf(shape));
  kernels().reduce(kernelOp, floats(t), t.shape, axes, out);
  const dtype = t.dtype === 'float32' || kernelOp === 'mean' ? 'float32' : 'int32';
  const y = withDtype(out, shape, dtype);
  if (dtype !== 'float32') return y;
  return record(name, [t], y, (dy) => {
    const spread = broadcastTo(reshape(dy, kept), t.shape);
    if (kernelOp === 'sum') return [spread];
    if (kernelOp === 'mean') return [divide(spread, t.size / Math.max(y.size, 1))];
    // max/min: split the gradient evenly between tied extremes, as TensorFlow does.
    const hits = cast(equal(t, broadcastTo(reshape(y, kept), t.shape)), 'float32');
    const count = broadcastTo(sum(hits, axes, true), t.shape);
    return [divide(multiply(spread, hits), count)];
  });
}

export const sum = (x: TensorLike, axis?: Axis, keepdims = false): Tensor => reduction('sum', 'sum', x, axis, keepdims);
export const mean = (x: TensorLike, axis?: Axis, keepdims = false): Tensor => reduction('mean', 'mean', x, axis, keepdims);
export const max = (x: TensorLike, axis?: Axis, keepdims = false): Tensor => reduction('max', 'max', x, axis, keepdims);
export const min = (x: TensorLike, axis?: Axis, keepdims = false): Tensor => reduction('min', 'min', x, axis, keepdims);

function argReduction(name: string, kernelOp: 'argmax' | 'argmin', x: TensorLike, axis: number | null, keepdims: boolean): Tensor {
  let t = operand(name, 'x', x);
  if (axis === null) t = reshape(t, [t.size]);
  const a = normalizeAxis(name, axis ?? 0, t.rank);
  if (t.shape[a] === 0) fail(name, `cannot take ${kernelOp} of an empty axis of shape ${formatShape(t.shape)}`);
  const out = newInt32Array(t.size / t.shape[a]);
  const p = { outer: sizeOf(t.shape.slice(0, a)), axis: t.shape[a], inner: sizeOf(t.shape.slice(a + 1)) };
  kernels().argReduce(kernelOp, floats(t), out, p);
  const shape = keepdims ? t.shape.map((d, i) => (i === a ? 1 : d)) : t.shape.filter((_, i) => i !== a);
  return new Tensor(out, axis === null && !keepdims ? [] : shape, 'int32');
}

/** Index of the largest value along `axis` (the whole flattened tensor for null); first on ties. */
export const argmax = (x: TensorLike, axis: number | null = null, keepdims = false): Tensor =>
  argReduction('argmax', 'argmax', x, axis, keepdims);
export const argmin = (x: TensorLike, axis: number | null = null, keepdims = false): Tensor =>
  argReduction('argmin', 'argmin', x, axis, keepdims);

// ---- Matrix multiplication -------------------------------------------------------------------

/**
 * Matrix product with NumPy's rules: 1-D operands are promoted to a row/column and the extra
 * dimension removed afterwards; leading batch dimensions broadcast.
 */
export function matmul(x1: TensorLike, x2: TensorLike): Tensor {
  const a = operand('matmul', 'x1', x1);
  const b = operand('matmul', 'x2', x2);
  if (a.rank === 0 || b.rank === 0) fail('matmul', `operands must have rank >= 1, received shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.rank === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const y = matmulNd(a2, b2);
  const shape = [...y.shape];
  if (b.rank === 1) shape.pop();
  if (a.rank === 1) shape.splice(shape.length - (b.rank === 1 ? 1 : 2), 1);
  return reshape(y, shape);
}

function matmulNd(a: Tensor, b: Tensor): Tensor {
  const k = a.shape[a.rank - 1];
  if (k !== b.shape[b.rank - 2]) fail('matmul', `inner dimensions do not match: ${formatShape(a.shape)} @ ${formatShape(b.shape)}`);
  const batchShape = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const y = gemm(broadcastBatch(a, batchShape), broadcastBatch(b, batchShape), false, false);
  return record('matmul', [a, b], y, (dy) => [
    sumTo(gemm(dy, broadcastBatch(b, batchShape), false, true), a.shape),
    sumTo(gemm(broadcastBatch(a, batchShape), dy, true, false), b.shape),
  ]);
}

/** A batch of matrices with exactly `batchShape` in front; an unbatched operand stays shared. */
function broadcastBatch(x: Tensor, batchShape: Shape): Tensor {
  const own = x.shape.slice(0, -2);
  if (sameShape(own, batchShape) || sizeOf(own) === 1) return x;
  return broadcastTo(x, [...batchShape, ...x.shape.slice(-2)]);
}

/** op(a) @ op(b) over matching (or size-1) batches, on the GEMM kernel; no autograd. */
function gemm(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k, n] = [transA ? ac : ar, transA ? ar : ac, transB ? br : bc];
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  const batchShape = (batchA >= batchB ? a : b).shape.slice(0, -2);
  const out = kernelOutput(batch * m * n);
  kernels().matmul(floats(a), floats(b), out, {
    batch, m, n, k, transA, transB, strideA: batchA === 1 ? 0 : ar * ac, strideB: batchB === 1 ? 0 : br * bc,
  });
  return floatTensor(out, [...batchShape, m, n]);
}

// ---- Shape manipulation ----------------------------------------------------------------------

/** Permutes the axes (reverses them when `axes` is omitted). */
export function transpose(x: TensorLike, axes?: readonly number[]): Tensor {
  const t = operand('transpose', 'x', x);
  const perm = axes ? axes.map((a) => normalizeAxis('transpose', a, t.rank)) : t.shape.map((_, i) => t.rank - 1 - i);
  if (perm.length !== t.rank || new Set(perm).size !== t.rank) {
    fail('transpose', `axes must be a permutation of ${t.rank} axes, received ${describe(axes)}`);
  }
  if (perm.every((p, i) => p === i)) return t;
  const out = kernelOutput(t.size);
  kernels().transpose(floats(t), t.shape, perm, out);
  const y = withDtype(out, perm.map((p) => t.shape[p]), t.dtype);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return record('transpose', [t], y, (dy) => [transpose(dy, inverse)]);
}

export function expandDims(x: TensorLike, axis: number): Tensor {
  const t = operand('expandDims', 'x', x);
  const a = normalizeAxis('expandDims', axis, t.rank + 1);
  return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
}

/** Removes size-1 axes (all of them when `axis` is omitted). */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = operand('squeeze', 'x', x);
  const axes = axis === undefined ? t.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axis, t.rank);
  const bad = axes.find((a) => t.shape[a] !== 1);
  if (bad !== undefined) fail('squeeze', `cannot squeeze axis ${bad} of size ${t.shape[bad]} in shape ${formatShape(t.shape)}`);
  return reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

/** Joins tensors along an existing axis. */
export function concatenate(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) fail('concatenate', `expected a non-empty list of tensors, received ${describe(xs)}`);
  const ts = xs.map((x, i) => operand('concatenate', `xs[${i}]`, x));
  const first = ts[0];
  const a = normalizeAxis('concatenate', axis, first.rank);
  ts.forEach((t, i) => {
    assertTensor('concatenate', `xs[${i}]`, t);
    if (t.rank !== first.rank || t.shape.some((d, j) => j !== a && d !== first.shape[j])) {
      fail('concatenate', `all shapes must match except on axis ${a}: ${formatShape(first.shape)} vs ${formatShape(t.shape)}`);
    }
  });
  const dtype: DType = ts.every((t) => t.dtype === first.dtype) ? first.dtype : 'float32';
  const parts = ts.map((t) => (t.dtype === dtype ? t : cast(t, dtype)));
  const shape = [...first.shape];
  shape[a] = parts.reduce((s, t) => s + t.shape[a], 0);
  const outer = sizeOf(shape.slice(0, a));
  const rowOut = sizeOf(shape.slice(a));
  const out = allocate(dtype, sizeOf(shape));
  let offset = 0;
  for (const t of parts) {
    const row = sizeOf(t.shape.slice(a));
    for (let o = 0; o < outer; o++) out.set(t.values.subarray(o * row, (o + 1) * row), o * rowOut + offset);
    offset += row;
  }
  const y = new Tensor(out, shape, dtype);
  if (dtype !== 'float32') return y;
  return record('concatenate', parts, y, (dy) => {
    let start = 0;
    return parts.map((t) => {
      const piece = slice(dy, t.shape.map((_, j) => (j === a ? start : 0)), t.shape);
      start += t.shape[a];
      return piece;
    });
  });
}

/** The block of `shape` starting at `start` (keras.ops.slice), like NumPy's `x[s0:s0+n0, ...]`. */
export function slice(x: TensorLike, start: readonly number[], shape: readonly number[]): Tensor {
  const t = operand('slice', 'x', x);
  if (start.length !== t.rank || shape.length !== t.rank ||
    start.some((s, i) => !Number.isInteger(s) || s < 0 || !Number.isInteger(shape[i]) || shape[i] < 0 || s + shape[i] > t.shape[i])) {
    fail('slice', `start ${describe(start)} and shape ${describe(shape)} do not fit inside ${formatShape(t.shape)}`);
  }
  const out = allocate(t.dtype, sizeOf(shape));
  copyBlock(t.values, t.shape, start, out, shape, false);
  const y = new Tensor(out, shape, t.dtype);
  if (t.dtype !== 'float32') return y;
  return record('slice', [t], y, (dy) => {
    const dx = newFloat32Array(t.size);
    copyBlock(dx, t.shape, start, dy.values as Float32Array, shape, true);
    return [floatTensor(dx, t.shape)];
  });
}

/** Copies between a block of `big` (at `start`, of `shape`) and the dense `small`, either way. */
function copyBlock(big: TypedArray, bigShape: Shape, start: readonly number[], small: TypedArray, shape: Shape, intoBig: boolean): void {
  const rank = shape.length;
  if (rank === 0) {
    if (intoBig) big.set(small.subarray(0, 1), 0);
    else small.set(big.subarray(0, 1), 0);
    return;
  }
  // Trailing axes taken whole join the last partial one in a single contiguous run per block.
  let axis = rank - 1;
  while (axis > 0 && shape[axis] === bigShape[axis]) axis--;
  const strides = bigShape.map((_, i) => sizeOf(bigShape.slice(i + 1)));
  const run = shape[axis] * strides[axis];
  const blocks = sizeOf(shape.slice(0, axis));
  const index = Array<number>(axis).fill(0);
  for (let r = 0; r < blocks; r++) {
    let offset = start[axis] * strides[axis];
    for (let i = 0; i < axis; i++) offset += (start[i] + index[i]) * strides[i];
    if (intoBig) big.set(small.subarray(r * run, (r + 1) * run), offset);
    else small.set(big.subarray(offset, offset + run), r * run);
    for (let i = axis - 1; i >= 0 && ++index[i] === shape[i]; i--) index[i] = 0;
  }
}
