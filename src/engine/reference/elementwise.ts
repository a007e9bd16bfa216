/**
 * Reference elementwise kernels: float64 arithmetic on each element, rounded once on store.
 * Formulas follow Keras 3 (keras/src/backend/numpy/nn.py and activations.py).
 */
import type { BinaryOp, ElementwiseKernels, F32, UnaryOp } from '../kernels.js';

type Unary = (x: number, alpha: number) => number;
/** dy * f'(x), given y = f(x). */
type UnaryGrad = (x: number, y: number, dy: number, alpha: number) => number;

// Keras: activations.py selu.
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/** erfc(z) for z >= 3 by its continued fraction, evaluated from the tail up. */
function erfcLarge(z: number): number {
  let t = z;
  for (let k = 80; k >= 1; k--) t = z + k / 2 / t;
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * t);
}

/** erf by its Maclaurin series (|x| < 3; the terms peak near 200, so ~1e-14 absolute error). */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** The complementary error function, accurate to ~1e-14 relative in both tails. */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return z;
  if (z >= 3) return erfcLarge(z);
  if (z <= -3) return 2 - erfcLarge(-z);
  return 1 - erfSeries(z);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

const relu6 = (x: number): number => Math.min(Math.max(x, 0), 6);
const hardSigmoid = (x: number): number => relu6(x + 3) / 6;
const elu = (x: number, alpha: number): number => (x >= 0 ? x : alpha * Math.expm1(x));
const geluArg = (x: number): number => SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
/** 1 where hard_sigmoid has slope 1/6. */
const hardSlope = (x: number): number => (x > -3 && x < 3 ? 1 : 0);

/** Each unary op by its Keras formula, in float64. */
export const UNARY: Record<UnaryOp, Unary> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: Math.sign,
  square: (x) => x * x,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  relu: (x) => Math.max(x, 0),
  relu6,
  sigmoid,
  tanh: Math.tanh,
  elu,
  selu: (x) => SELU_SCALE * elu(x, SELU_ALPHA),
  gelu: (x) => (x * erfc(-x / Math.SQRT2)) / 2, // = x (1 + erf(x / sqrt 2)) / 2
  // Keras: 0.5 x (1 + tanh(u)); 0.5 (1 + tanh u) = sigmoid(2u), without the cancellation for x < 0.
  gelu_approximate: (x) => x * sigmoid(2 * geluArg(x)),
  silu: (x) => x * sigmoid(x),
  leaky_relu: (x, alpha) => Math.max(x, alpha * x),
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), // logaddexp(x, 0)
  softsign: (x) => x / (1 + Math.abs(x)),
  hard_sigmoid: hardSigmoid,
  hard_silu: (x) => x * hardSigmoid(x),
};

const zero: UnaryGrad = () => 0;

const UNARY_GRAD: Record<UnaryOp, UnaryGrad> = {
  neg: (_x, _y, dy) => -dy,
  abs: (x, _y, dy) => dy * Math.sign(x),
  sign: zero,
  square: (x, _y, dy) => 2 * x * dy,
  sqrt: (_x, y, dy) => dy / (2 * y),
  rsqrt: (_x, y, dy) => -0.5 * dy * y * y * y,
  reciprocal: (_x, y, dy) => -dy * y * y,
  exp: (_x, y, dy) => dy * y,
  expm1: (x, _y, dy) => dy * Math.exp(x),
  log: (x, _y, dy) => dy / x,
  log1p: (x, _y, dy) => dy / (1 + x),
  sin: (x, _y, dy) => dy * Math.cos(x),
  cos: (x, _y, dy) => -dy * Math.sin(x),
  floor: zero,
  ceil: zero,
  round: zero,
  relu: (x, _y, dy) => (x > 0 ? dy : 0),
  relu6: (x, _y, dy) => (x > 0 && x < 6 ? dy : 0),
  sigmoid: (_x, y, dy) => dy * y * (1 - y),
  tanh: (_x, y, dy) => dy * (1 - y * y),
  elu: (x, _y, dy, alpha) => (x >= 0 ? dy : dy * alpha * Math.exp(x)),
  selu: (x, _y, dy) => dy * SELU_SCALE * (x >= 0 ? 1 : SELU_ALPHA * Math.exp(x)),
  gelu: (x, _y, dy) => dy * (erfc(-x / Math.SQRT2) / 2 + (x * Math.exp(-x * x / 2)) / Math.sqrt(2 * Math.PI)),
  gelu_approximate: (x, _y, dy) => {
    const s = sigmoid(2 * geluArg(x));
    const du = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
    return dy * (s + 2 * x * s * (1 - s) * du);
  },
  silu: (x, _y, dy) => dy * sigmoid(x) * (1 + x * (1 - sigmoid(x))),
  leaky_relu: (x, _y, dy, alpha) => (x > alpha * x ? dy : alpha * dy),
  softplus: (x, _y, dy) => dy * sigmoid(x),
  softsign: (x, _y, dy) => dy / (1 + Math.abs(x)) ** 2,
  hard_sigmoid: (x, _y, dy) => (dy * hardSlope(x)) / 6,
  hard_silu: (x, _y, dy) => dy * (hardSigmoid(x) + (hardSlope(x) * x) / 6),
};

/** NumPy's rounding: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** C's powf (and NumPy's) where it differs from Math.pow: 1^y = 1 and (-1)^(+-inf) = 1. */
function pow(a: number, b: number): number {
  if (a === 1 || (a === -1 && Math.abs(b) === Infinity)) return 1;
  return Math.pow(a, b);
}

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: Math.max,
  minimum: Math.min,
  pow,
  equal: (a, b) => Number(a === b),
  not_equal: (a, b) => Number(a !== b),
  less: (a, b) => Number(a < b),
  less_equal: (a, b) => Number(a <= b),
  greater: (a, b) => Number(a > b),
  greater_equal: (a, b) => Number(a >= b),
};

/** Row-major strides of a shape, in elements. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

/**
 * Calls `visit(i, offsets)` for every flat index i of `shape`, where offsets[t] is the element
 * offset that index has under `strides[t]`.
 */
function forEachIndex(
  shape: readonly number[], strides: readonly (readonly number[])[], visit: (i: number, offsets: number[]) => void,
): void {
  const size = shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < size; i++) {
    const offsets = strides.map(() => 0);
    for (let d = shape.length - 1, rest = i; d >= 0; d--) {
      const idx = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      strides.forEach((s, t) => (offsets[t] += idx * s[d]));
    }
    visit(i, offsets);
  }
}

/** Strides that read `shape` broadcast to a shape of the same rank: size-1 dimensions stay put. */
function broadcastStrides(shape: readonly number[]): number[] {
  return stridesOf(shape).map((s, d) => (shape[d] === 1 ? 0 : s));
}

/** The elementwise kernels as plain loops: the definition the WASM engine is tested against. */
export const referenceElementwise: ElementwiseKernels = {
  // alpha is cast to float32 first, as Keras casts it to x's dtype.
  unary(op, x, out, p) {
    const f = UNARY[op];
    const alpha = Math.fround(p.alpha);
    for (let i = 0; i < x.length; i++) out[i] = f(x[i], alpha);
  },

  unaryGrad(op, x, y, dy, dx, p) {
    const g = UNARY_GRAD[op];
    const alpha = Math.fround(p.alpha);
    for (let i = 0; i < x.length; i++) dx[i] = g(x[i], y[i], dy[i], alpha);
  },

  binary(op, a, aShape, b, bShape, out, outShape) {
    const f = BINARY[op];
    forEachIndex(outShape, [broadcastStrides(aShape), broadcastStrides(bShape)], (i, [ia, ib]) => {
      out[i] = f(a[ia], b[ib]);
    });
  },

  transpose(x: F32, shape, perm, out: F32) {
    const strides = stridesOf(shape);
    forEachIndex(perm.map((d) => shape[d]), [perm.map((d) => strides[d])], (i, [ix]) => {
      out[i] = x[ix];
    });
  },
};
