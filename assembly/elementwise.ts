// Elementwise kernels: unary activations and their gradients, broadcasting binary ops, and
// strided copies (transpose). Every element is computed alone, so any split across threads gives
// the same bits; scalar tails run the vector code on a splat so they match the vector lanes.
import { fma, splat4 } from './simd';
import {
  lanes1, lanes2, select4, vexp, vexpMinusHalfSquare, vexpm1, vlog, vlog1p, vsigmoid, vtanh, vtwoPhi,
} from './math';

// Unary op codes: the index of the op in UNARY_OPS (src/engine/wasm/elementwise.ts).
const NEG = 0, ABS = 1, SIGN = 2, SQUARE = 3, SQRT = 4, RSQRT = 5, RECIPROCAL = 6, EXP = 7,
  EXPM1 = 8, LOG = 9, LOG1P = 10, SIN = 11, COS = 12, FLOOR = 13, CEIL = 14, ROUND = 15, RELU = 16,
  RELU6 = 17, SIGMOID = 18, TANH = 19, ELU = 20, SELU = 21, GELU = 22, GELU_APPROXIMATE = 23,
  SILU = 24, LEAKY_RELU = 25, SOFTPLUS = 26, SOFTSIGN = 27, HARD_SIGMOID = 28, HARD_SILU = 29;

// Binary op codes: the index in BINARY_OPS; COPY (first operand) serves transpose.
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5, POW = 6, EQUAL = 7,
  NOT_EQUAL = 8, LESS = 9, LESS_EQUAL = 10, GREATER = 11, GREATER_EQUAL = 12;

// Keras: activations.py selu.
const SELU_ALPHA: f32 = 1.67326324;
const SELU_SCALE: f32 = 1.05070098;
const SQRT_2_OVER_PI: f32 = 0.7978845608;
const GELU_CUBIC: f32 = 0.044715;
const INV_SQRT_2PI: f32 = 0.3989422804;

// In float64, then rounded: Mathf.sin/cos lose huge arguments' range reduction, and Mathf.pow
// misses C's pow(1, NaN) = 1 (NumPy's too).
function sinf(a: f32): f32 {
  return <f32>Math.sin(a);
}

function cosf(a: f32): f32 {
  return <f32>Math.cos(a);
}

function powf(a: f32, b: f32): f32 {
  if (a == 1 || (a == -1 && Math.abs(b) == Infinity)) return 1;
  return <f32>Math.pow(a, b);
}

/** 1.0 where the comparison mask is set, else 0.0. */
@inline function ones(mask: v128): v128 {
  return v128.and(mask, splat4(1.0));
}

/** -1, 0 or 1 (NaN stays NaN). */
@inline function vsign(x: v128): v128 {
  const s = f32x4.sub(ones(f32x4.gt(x, splat4(0.0))), ones(f32x4.lt(x, splat4(0.0))));
  return select4(f32x4.ne(x, x), x, s);
}

@inline function elu(x: v128, alpha: f32): v128 {
  return select4(f32x4.ge(x, splat4(0.0)), x, f32x4.mul(splat4(alpha), vexpm1(x)));
}

/** sqrt(2/pi) (x + 0.044715 x^3), the tanh argument of approximate gelu. */
@inline function geluArg(x: v128): v128 {
  const x2 = f32x4.mul(x, x);
  return f32x4.mul(splat4(SQRT_2_OVER_PI), fma(f32x4.mul(splat4(GELU_CUBIC), x2), x, x));
}

/** relu6(x + 3) / 6. */
@inline function hardSigmoid(x: v128): v128 {
  const r = f32x4.min(f32x4.max(f32x4.add(x, splat4(3.0)), splat4(0.0)), splat4(6.0));
  return f32x4.div(r, splat4(6.0));
}

/** 1.0 where -3 < x < 3: the slope region of hard_sigmoid. */
@inline function hardSlope(x: v128): v128 {
  return ones(v128.and(f32x4.gt(x, splat4(-3.0)), f32x4.lt(x, splat4(3.0))));
}

@inline function unaryOp(op: i32, x: v128, alpha: f32): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SIGN: return vsign(x);
    case SQUARE: return f32x4.mul(x, x);
    case SQRT: return f32x4.sqrt(x);
    case RSQRT: return f32x4.div(splat4(1.0), f32x4.sqrt(x));
    case RECIPROCAL: return f32x4.div(splat4(1.0), x);
    case EXP: return vexp(x);
    case EXPM1: return vexpm1(x);
    case LOG: return vlog(x);
    case LOG1P: return vlog1p(x);
    case SIN: return lanes1(x, sinf);
    case COS: return lanes1(x, cosf);
    case FLOOR: return f32x4.floor(x);
    case CEIL: return f32x4.ceil(x);
    case ROUND: return f32x4.nearest(x); // ties to even, like NumPy
    case RELU: return f32x4.max(x, splat4(0.0));
    case RELU6: return f32x4.min(f32x4.max(x, splat4(0.0)), splat4(6.0));
    case SIGMOID: return vsigmoid(x);
    case TANH: return vtanh(x);
    case ELU: return elu(x, alpha);
    case SELU: return f32x4.mul(splat4(SELU_SCALE), elu(x, SELU_ALPHA));
    case GELU: return f32x4.mul(f32x4.mul(splat4(0.5), x), vtwoPhi(x));
    // 0.5 (1 + tanh u) = sigmoid(2u): same function, no cancellation for negative x.
    case GELU_APPROXIMATE: { const u = geluArg(x); return f32x4.mul(x, vsigmoid(f32x4.add(u, u))); }
    case SILU: return f32x4.mul(x, vsigmoid(x));
    case LEAKY_RELU: return f32x4.max(x, f32x4.mul(splat4(alpha), x)); // Keras: max(x, slope x)
    case SOFTPLUS: {
      const e = vexp(f32x4.neg(f32x4.abs(x)));
      return f32x4.add(f32x4.max(x, splat4(0.0)), vlog1p(e));
    }
    case SOFTSIGN: return f32x4.div(x, f32x4.add(splat4(1.0), f32x4.abs(x)));
    case HARD_SIGMOID: return hardSigmoid(x);
    case HARD_SILU: return f32x4.mul(x, hardSigmoid(x));
    default: return splat4(NaN);
  }
}

/** dy * f'(x); y = f(x). Kinks take the derivative of the branch Keras picks there. */
@inline function unaryGradOp(op: i32, x: v128, y: v128, dy: v128, alpha: f32): v128 {
  const zero = splat4(0.0);
  const one = splat4(1.0);
  switch (op) {
    case NEG: return f32x4.neg(dy);
    case ABS: return f32x4.mul(dy, vsign(x));
    case SQUARE: return f32x4.mul(dy, f32x4.add(x, x));
    case SQRT: return f32x4.div(dy, f32x4.add(y, y));
    case RSQRT: return f32x4.mul(f32x4.mul(f32x4.mul(splat4(-0.5), dy), y), f32x4.mul(y, y));
    case RECIPROCAL: return f32x4.neg(f32x4.mul(f32x4.mul(dy, y), y));
    case EXP: return f32x4.mul(dy, y);
    case EXPM1: return f32x4.mul(dy, vexp(x)); // not y + 1, which cancels as y nears -1
    case LOG: return f32x4.div(dy, x);
    case LOG1P: return f32x4.div(dy, f32x4.add(x, one));
    case SIN: return f32x4.mul(dy, lanes1(x, cosf));
    case COS: return f32x4.neg(f32x4.mul(dy, lanes1(x, sinf)));
    case RELU: return select4(f32x4.gt(x, zero), dy, zero);
    case RELU6: return select4(v128.and(f32x4.gt(x, zero), f32x4.lt(x, splat4(6.0))), dy, zero);
    case SIGMOID: return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(one, y)));
    case TANH: return f32x4.mul(dy, f32x4.mul(f32x4.sub(one, y), f32x4.add(one, y))); // 1 - y^2, no cancellation
    // Below zero the slope is alpha e^x (y + alpha would cancel as y nears -alpha).
    case ELU: return select4(f32x4.ge(x, zero), dy, f32x4.mul(dy, f32x4.mul(splat4(alpha), vexp(x))));
    case SELU: {
      const d = select4(f32x4.ge(x, zero), one, f32x4.mul(splat4(SELU_ALPHA), vexp(x)));
      return f32x4.mul(dy, f32x4.mul(splat4(SELU_SCALE), d));
    }
    case GELU: {
      const pdf = f32x4.mul(splat4(INV_SQRT_2PI), vexpMinusHalfSquare(f32x4.abs(x), zero));
      return f32x4.mul(dy, fma(x, pdf, f32x4.mul(splat4(0.5), vtwoPhi(x))));
    }
    case GELU_APPROXIMATE: {
      // With s = sigmoid(2u): d/dx x s = s + 2 x s (1 - s) u'.
      const u = geluArg(x);
      const s = vsigmoid(f32x4.add(u, u));
      // Past |x| = 15, s (1 - s) is 0 and only an overflowing x^2 in u' could spoil it.
      const xc = f32x4.min(f32x4.max(x, splat4(-15.0)), splat4(15.0));
      const du = f32x4.mul(splat4(SQRT_2_OVER_PI), fma(splat4(3.0 * GELU_CUBIC), f32x4.mul(xc, xc), one));
      const ds = f32x4.mul(f32x4.mul(f32x4.add(x, x), f32x4.mul(s, f32x4.sub(one, s))), du);
      return f32x4.mul(dy, f32x4.add(s, ds));
    }
    case SILU: {
      const s = vsigmoid(x);
      return f32x4.mul(dy, f32x4.mul(s, fma(x, f32x4.sub(one, s), one)));
    }
    case LEAKY_RELU: {
      const ax = f32x4.mul(splat4(alpha), x);
      return select4(f32x4.gt(x, ax), dy, f32x4.mul(dy, splat4(alpha)));
    }
    case SOFTPLUS: return f32x4.mul(dy, vsigmoid(x));
    case SOFTSIGN: {
      const d = f32x4.add(one, f32x4.abs(x));
      return f32x4.div(dy, f32x4.mul(d, d));
    }
    case HARD_SIGMOID: return f32x4.mul(dy, f32x4.div(hardSlope(x), splat4(6.0)));
    case HARD_SILU: {
      const slope = f32x4.div(f32x4.mul(hardSlope(x), x), splat4(6.0));
      return f32x4.mul(dy, f32x4.add(hardSigmoid(x), slope));
    }
    default: return zero; // sign, floor, ceil, round: piecewise constant
  }
}

@inline function binaryOp(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return f32x4.mul(a, b);
    case DIV: return f32x4.div(a, b);
    case MAXIMUM: return f32x4.max(a, b); // NaN-propagating, like NumPy
    case MINIMUM: return f32x4.min(a, b);
    case POW: return lanes2(a, b, powf);
    case EQUAL: return ones(f32x4.eq(a, b));
    case NOT_EQUAL: return ones(f32x4.ne(a, b));
    case LESS: return ones(f32x4.lt(a, b));
    case LESS_EQUAL: return ones(f32x4.le(a, b));
    case GREATER: return ones(f32x4.gt(a, b));
    case GREATER_EQUAL: return ones(f32x4.ge(a, b));
    default: return a; // COPY
  }
}

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** Lane 0 of a vector function applied to a splat: the scalar tail, bit-identical to a lane. */
@inline function lane0(v: v128): f32 {
  return f32x4.extract_lane(v, 0);
}

/** `out[i] = f(x[i])` for i in [start, end). */
export function unary(start: i32, end: i32, tid: i32, op: i32, x: usize, out: usize, alpha: f32): void {
  let i = start;
  for (; i + 4 <= end; i += 4) v128.store(at(out, i), unaryOp(op, v128.load(at(x, i)), alpha));
  for (; i < end; i++) store<f32>(at(out, i), lane0(unaryOp(op, splat4(load<f32>(at(x, i))), alpha)));
}

/** `dx[i] = dy[i] * f'(x[i])` for i in [start, end), with y = f(x). */
export function unary_grad(
  start: i32, end: i32, tid: i32, op: i32, x: usize, y: usize, dy: usize, dx: usize, alpha: f32,
): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    v128.store(at(dx, i), unaryGradOp(op, v128.load(at(x, i)), v128.load(at(y, i)), v128.load(at(dy, i)), alpha));
  }
  for (; i < end; i++) {
    const g = unaryGradOp(op, splat4(load<f32>(at(x, i))), splat4(load<f32>(at(y, i))), splat4(load<f32>(at(dy, i))), alpha);
    store<f32>(at(dx, i), lane0(g));
  }
}

/**
 * `out[j] = op(a[j * sa], b[j * sb])` for j in [j0, j1). Strides 0 and 1 are vectorized (callers
 * pass them as constants, so the branches fold away); other strides gather element by element.
 */
@inline function stridedRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, j0: i32, j1: i32): void {
  let j = j0;
  if ((sa == 0 || sa == 1) && (sb == 0 || sb == 1)) {
    const a0 = splat4(load<f32>(a));
    const b0 = splat4(load<f32>(b));
    for (; j + 4 <= j1; j += 4) {
      const va = sa == 1 ? v128.load(at(a, j)) : a0;
      const vb = sb == 1 ? v128.load(at(b, j)) : b0;
      v128.store(at(out, j), binaryOp(op, va, vb));
    }
  }
  for (; j < j1; j++) {
    const r = binaryOp(op, splat4(load<f32>(at(a, j * sa))), splat4(load<f32>(at(b, j * sb))));
    store<f32>(at(out, j), lane0(r));
  }
}

/**
 * The broadcasting binary op and transpose (op COPY): out, contiguous, is viewed as rows of
 * `rowLen` elements along which a and b move by sa and sb; each row is cut into chunks of
 * `chunk` elements, and a work unit is one chunk. `meta` holds `outerRank` triples (size, a
 * stride, b stride), outermost first, that locate a row's start in a and b.
 */
export function strided_binary(
  start: i32, end: i32, tid: i32, op: i32, a: usize, b: usize, out: usize,
  rowLen: i32, chunk: i32, sa: i32, sb: i32, outerRank: i32, meta: usize,
): void {
  const chunks = (rowLen + chunk - 1) / chunk;
  for (let u = start; u < end; u++) {
    const row = u / chunks;
    const j0 = (u - row * chunks) * chunk;
    const j1 = min(rowLen, j0 + chunk);
    let offA = 0, offB = 0, rest = row;
    for (let d = outerRank - 1; d >= 0; d--) {
      const m = meta + 12 * <usize>d;
      const size = load<i32>(m);
      const idx = rest % size;
      rest /= size;
      offA += idx * load<i32>(m, 4);
      offB += idx * load<i32>(m, 8);
    }
    const pa = at(a, offA), pb = at(b, offB), po = at(out, row * rowLen);
    if (sa == 1 && sb == 1) stridedRow(op, pa, 1, pb, 1, po, j0, j1);
    else if (sa == 1 && sb == 0) stridedRow(op, pa, 1, pb, 0, po, j0, j1);
    else if (sa == 0 && sb == 1) stridedRow(op, pa, 0, pb, 1, po, j0, j1);
    else stridedRow(op, pa, sa, pb, sb, po, j0, j1);
  }
}

/** Tile edge of transpose_tiles: a tile's 32 source and 32 destination lines stay in L1. */
const TILE = 32;

/**
 * A batch of r×c matrices transposed into c×r ones, one TILE×TILE tile per work unit: the
 * strided side of a transpose then touches each cache line once instead of once per element.
 */
export function transpose_tiles(start: i32, end: i32, tid: i32, x: usize, out: usize, r: i32, c: i32): void {
  const tilesR = (r + TILE - 1) / TILE;
  const tilesC = (c + TILE - 1) / TILE;
  const perMatrix = tilesR * tilesC;
  for (let u = start; u < end; u++) {
    const b = u / perMatrix;
    const t = u - b * perMatrix;
    const i0 = (t / tilesC) * TILE;
    const j0 = (t - (t / tilesC) * tilesC) * TILE;
    const xb = at(x, b * r * c);
    const ob = at(out, b * r * c);
    const i1 = min(r, i0 + TILE);
    const j1 = min(c, j0 + TILE);
    for (let i = i0; i < i1; i++) {
      for (let j = j0; j < j1; j++) store<f32>(at(ob, j * r + i), load<f32>(at(xb, i * c + j)));
    }
  }
}
