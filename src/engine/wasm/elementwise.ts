/**
 * WASM elementwise kernels (assembly/elementwise.ts). Broadcasting and transposes are planned
 * here: dimensions are collapsed until the innermost one is either contiguous or broadcast, and
 * the kernel walks rows of it, so `[N, C] + [C]` and `x * scalar` run as plain vector loops.
 *
 * Accuracy against float64 (see assembly/math.ts): arithmetic, comparisons, sqrt, floor/ceil/round
 * are exact; exp/log/sigmoid/tanh families within a few 1e-7 relative; gelu within ~1e-6.
 */
import type { BinaryOp, ElementwiseKernels, UnaryOp } from '../kernels.js';
import type { WasmRuntime } from './runtime.js';

/** Op codes are indices into these lists (assembly/elementwise.ts mirrors them). */
const UNARY_OPS: readonly UnaryOp[] = [
  'neg', 'abs', 'sign', 'square', 'sqrt', 'rsqrt', 'reciprocal', 'exp', 'expm1', 'log', 'log1p',
  'sin', 'cos', 'floor', 'ceil', 'round', 'relu', 'relu6', 'sigmoid', 'tanh', 'elu', 'selu', 'gelu',
  'gelu_approximate', 'silu', 'leaky_relu', 'softplus', 'softsign', 'hard_sigmoid', 'hard_silu',
];
const BINARY_OPS: readonly BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow',
  'equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal',
];
/** The kernel's 'first operand' op, which turns the broadcasting walk into a strided copy. */
const COPY = BINARY_OPS.length;

/** Ops that are a handful of instructions per element; the rest cost a polynomial or more. */
const CHEAP = new Set<string>([
  'neg', 'abs', 'sign', 'square', 'sqrt', 'rsqrt', 'reciprocal', 'floor', 'ceil', 'round', 'relu',
  'relu6', 'leaky_relu', 'softsign', 'hard_sigmoid', 'hard_silu',
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum',
  'equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal',
]);
const flopsPerElement = (op: string): number => (CHEAP.has(op) ? 2 : 30);

/** Elements per work unit of a strided walk: long rows still split across threads. */
const CHUNK = 4096;

/**
 * A strided walk of a contiguous output: rows of `rowLen` along which the two operands move by
 * sa and sb elements, and for the outer dimensions (outermost first) their sizes and strides.
 */
interface Walk {
  rowLen: number;
  sa: number;
  sb: number;
  outer: { size: number; a: number; b: number }[];
}

/** Runs a walk with one of the binary op codes (or COPY) on engine addresses, inside rt.call. */
export function runWalk(rt: WasmRuntime, op: number, pa: number, pb: number, po: number, w: Walk, flops: number): void {
  const meta = rt.alloc(12 * w.outer.length);
  rt.i32(meta, 3 * w.outer.length).set(w.outer.flatMap((d) => [d.size, d.a, d.b]));
  const rows = w.outer.reduce((n, d) => n * d.size, 1);
  const units = rows * Math.ceil(w.rowLen / CHUNK);
  rt.parallel('strided_binary', units, [op, pa, pb, po, w.rowLen, CHUNK, w.sa, w.sb, w.outer.length, meta], flops);
}

/** Splits a list of (size, a stride, b stride) dimensions, outermost first, into a Walk. */
function toWalk(dims: { size: number; a: number; b: number }[]): Walk {
  const last = dims.pop() ?? { size: 1, a: 0, b: 0 };
  return { rowLen: last.size, sa: last.a, sb: last.b, outer: dims };
}

/** Broadcast a and b to outShape: adjacent dimensions that broadcast alike merge into one. */
function broadcastWalk(aShape: readonly number[], bShape: readonly number[], outShape: readonly number[]): Walk {
  const groups: { size: number; aFull: boolean; bFull: boolean }[] = [];
  outShape.forEach((size, d) => {
    if (size === 1) return;
    const aFull = aShape[d] !== 1;
    const bFull = bShape[d] !== 1;
    const prev = groups[groups.length - 1];
    if (prev && prev.aFull === aFull && prev.bFull === bFull) prev.size *= size;
    else groups.push({ size, aFull, bFull });
  });
  let aRun = 1;
  let bRun = 1;
  const dims = groups.reverse().map((g) => {
    const dim = { size: g.size, a: g.aFull ? aRun : 0, b: g.bFull ? bRun : 0 };
    if (g.aFull) aRun *= g.size;
    if (g.bFull) bRun *= g.size;
    return dim;
  });
  return toWalk(dims.reverse());
}

/** Transpose as a walk: size-1 dimensions dropped, dimensions that stay nested in memory merged. */
function transposeWalk(shape: readonly number[], perm: readonly number[]): Walk {
  const strides: number[] = [];
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  const dims: { size: number; a: number; b: number }[] = [];
  for (const d of perm) {
    if (shape[d] === 1) continue;
    const prev = dims[dims.length - 1];
    // The previous output dimension steps over exactly one run of this one: they merge.
    if (prev && prev.a === strides[d] * shape[d]) {
      prev.size *= shape[d];
      prev.a = strides[d];
    } else {
      dims.push({ size: shape[d], a: strides[d], b: 0 });
    }
  }
  return toWalk(dims);
}

/** Tile edge of the kernel transpose_tiles (assembly/elementwise.ts). */
const TILE = 32;

/**
 * The batch b and the r×c of a walk that is a batch of matrix transposes (out rows walk input
 * columns, and the next dimension out walks along input rows), or null.
 */
function asMatrixTranspose(w: Walk): { b: number; r: number; c: number } | null {
  const [batch, cols] = w.outer.length === 2 ? w.outer : [{ size: 1, a: 0 }, w.outer[0]];
  const r = w.rowLen;
  if (w.outer.length > 2 || !cols || cols.a !== 1 || w.sa !== cols.size) return null;
  if (batch.size > 1 && batch.a !== r * cols.size) return null;
  return { b: batch.size, r, c: cols.size };
}

/** out = x transposed by perm, on engine addresses inside rt.call (the reductions use it too). */
export function transposeAt(
  rt: WasmRuntime, px: number, shape: readonly number[], perm: readonly number[], po: number,
): void {
  const size = shape.reduce((a, b) => a * b, 1);
  const walk = transposeWalk(shape, perm);
  const m = asMatrixTranspose(walk);
  if (m) {
    const tiles = m.b * Math.ceil(m.r / TILE) * Math.ceil(m.c / TILE);
    rt.parallel('transpose_tiles', tiles, [px, po, m.r, m.c], size);
  } else {
    runWalk(rt, COPY, px, px, po, walk, size);
  }
}

/** The elementwise kernels bound to one engine runtime. */
export function elementwiseKernels(rt: WasmRuntime): ElementwiseKernels {
  return {
    unary(op, x, out, p) {
      rt.call([x], [out], ([px], [po]) => {
        rt.parallel('unary', x.length, [UNARY_OPS.indexOf(op), px, po, p.alpha], x.length * flopsPerElement(op));
      });
    },

    unaryGrad(op, x, y, dy, dx, p) {
      rt.call([x, y, dy], [dx], ([px, py, pdy], [pdx]) => {
        const args = [UNARY_OPS.indexOf(op), px, py, pdy, pdx, p.alpha];
        rt.parallel('unary_grad', x.length, args, x.length * flopsPerElement(op));
      });
    },

    binary(op, a, aShape, b, bShape, out, outShape) {
      if (out.length === 0) return;
      rt.call([a, b], [out], ([pa, pb], [po]) => {
        const walk = broadcastWalk(aShape, bShape, outShape);
        runWalk(rt, BINARY_OPS.indexOf(op), pa, pb, po, walk, out.length * flopsPerElement(op));
      });
    },

    transpose(x, shape, perm, out) {
      if (out.length === 0) return;
      rt.call([x], [out], ([px], [po]) => transposeAt(rt, px, shape, perm, po));
    },
  };
}
