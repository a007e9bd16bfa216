// Vectorized transcendental functions on four float32 lanes, for the elementwise and softmax
// kernels. Each lane's result depends only on that lane's input, so applying a function to
// `splat(x)` and taking lane 0 gives exactly the bits a full vector gives: kernels use that for
// their scalar tails, which keeps results independent of where a thread's slice starts.
//
// Accuracy (measured against float64 in src/engine/wasm/elementwise.test.ts):
//   exp, expm1: relative error below 2e-7 (Cody-Waite reduction + degree-7 polynomial, the
//               classic Cephes expf coefficients); subnormal results are exact to one rounding.
//   log, log1p: relative error below 2e-7 (Cephes logf polynomial on [sqrt(1/2), sqrt(2))).
//   tanh, sigmoid: built on expm1/exp, relative error below 4e-7.
//   2 Phi(x) = 1 + erf(x / sqrt 2) (for gelu): relative error below 1e-6, tails included
//               (Numerical Recipes' erfc fit, 1.2e-7 in exact arithmetic, and an exp(-x^2/2)
//               that never rounds x^2 as a whole).
import { fma, splat4 } from './simd';

const LOG2E: f32 = 1.44269504;
// ln 2 split so that n * LN2_HI is exact for the |n| <= 150 that can occur.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** Lanes where the mask is set take `a`, others `b`. */
@inline export function select4(mask: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, mask);
}

/** 2^n for integer lanes n in [-126, 127]. */
@inline function pow2i(n: v128): v128 {
  return i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23);
}

/** e^r - 1 for |r| <= ln2 / 2, accurate to the last bit or so: no cancellation near 0. */
@inline function expm1Reduced(r: v128): v128 {
  let p = fma(splat4(1.9875691500e-4), r, splat4(1.3981999507e-3));
  p = fma(p, r, splat4(8.3334519073e-3));
  p = fma(p, r, splat4(4.1665795894e-2));
  p = fma(p, r, splat4(1.6666665459e-1));
  p = fma(p, r, splat4(5.0000001201e-1));
  return fma(f32x4.mul(r, r), p, r);
}

/** Clamps x for the range reduction: beyond the clamps e^x is inf or rounds to 0 anyway (and
 *  f32x4.min/max propagate NaN); inside them n = round(x / ln2) stays within [-150, 128]. */
@inline function clampExpArg(x: v128): v128 {
  return f32x4.min(f32x4.max(x, splat4(-104.0)), splat4(88.8));
}

/** e^r - 1 for the reduced r = xc - n ln2, with n = round(xc / ln2) given as float lanes. */
@inline function expm1Of(xc: v128, n: v128): v128 {
  return expm1Reduced(fma(n, splat4(-LN2_LO), fma(n, splat4(-LN2_HI), xc)));
}

/** (1 + p) * 2^n in two steps, so that n up to 128 and subnormal results need no special case. */
@inline function scale(onePlusP: v128, nf: v128): v128 {
  const n = i32x4.trunc_sat_f32x4_s(nf);
  const half = i32x4.shr_s(n, 1);
  return f32x4.mul(f32x4.mul(onePlusP, pow2i(half)), pow2i(i32x4.sub(n, half)));
}

@inline export function vexp(x: v128): v128 {
  const xc = clampExpArg(x);
  const n = f32x4.nearest(f32x4.mul(xc, splat4(LOG2E)));
  return scale(f32x4.add(expm1Of(xc, n), splat4(1.0)), n);
}

@inline export function vexpm1(x: v128): v128 {
  const xc = clampExpArg(x);
  const n = f32x4.nearest(f32x4.mul(xc, splat4(LOG2E)));
  const p = expm1Of(xc, n);
  // For n = 0 (|x| < ln2/2) p is expm1 itself; elsewhere e^x - 1 loses at most a few bits.
  const e = f32x4.sub(scale(f32x4.add(p, splat4(1.0)), n), splat4(1.0));
  return select4(f32x4.eq(n, splat4(0.0)), p, e);
}

@inline export function vlog(x: v128): v128 {
  // Subnormals get 23 bits of exponent back before the bits are taken apart.
  const sub = f32x4.lt(x, splat4(1.17549435e-38));
  const xs = select4(sub, f32x4.mul(x, splat4(8388608.0)), x);
  let e = i32x4.sub(i32x4.shr_u(xs, 23), select4(sub, i32x4.splat(150), i32x4.splat(127)));
  let m = v128.or(v128.and(xs, i32x4.splat(0x7fffff)), i32x4.splat(0x3f800000));
  const big = f32x4.gt(m, splat4(1.41421356));
  m = select4(big, f32x4.mul(m, splat4(0.5)), m);
  e = i32x4.sub(e, big); // the mask is -1 where set
  const f = f32x4.sub(m, splat4(1.0));
  const z = f32x4.mul(f, f);
  let p = fma(splat4(7.0376836292e-2), f, splat4(-1.1514610310e-1));
  p = fma(p, f, splat4(1.1676998740e-1));
  p = fma(p, f, splat4(-1.2420140846e-1));
  p = fma(p, f, splat4(1.4249322787e-1));
  p = fma(p, f, splat4(-1.6668057665e-1));
  p = fma(p, f, splat4(2.0000714765e-1));
  p = fma(p, f, splat4(-2.4999993993e-1));
  p = fma(p, f, splat4(3.3333331174e-1));
  const ef = f32x4.convert_i32x4_s(e);
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = fma(ef, splat4(LN2_LO), y);
  y = fma(z, splat4(-0.5), y);
  let r = fma(ef, splat4(LN2_HI), f32x4.add(f, y));
  r = select4(f32x4.eq(x, splat4(Infinity)), x, r);
  r = select4(f32x4.eq(x, splat4(0.0)), splat4(-Infinity), r);
  return select4(f32x4.ge(x, splat4(0.0)), r, splat4(NaN)); // negative or NaN
}

@inline export function vlog1p(u: v128): v128 {
  // log(1 + u) corrected by the rounding error of 1 + u (Goldberg's trick, divided form).
  const v = f32x4.add(u, splat4(1.0));
  const lv = vlog(v);
  const fixed = f32x4.sub(lv, f32x4.div(f32x4.sub(f32x4.sub(v, splat4(1.0)), u), v));
  const special = v128.or(f32x4.eq(v, splat4(0.0)), f32x4.eq(v, splat4(Infinity)));
  return select4(special, lv, fixed);
}

/** 1 / (1 + e^-x), as e^x / (1 + e^x) below 0 so that tiny results keep their precision. */
@inline export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const q = f32x4.div(splat4(1.0), f32x4.add(splat4(1.0), e));
  return select4(f32x4.lt(x, splat4(0.0)), f32x4.mul(e, q), q);
}

@inline export function vtanh(x: v128): v128 {
  // tanh = expm1(2x) / (expm1(2x) + 2): no cancellation near 0. |x| >= 9 rounds to +-1.
  const xc = f32x4.min(f32x4.max(x, splat4(-9.0)), splat4(9.0));
  const e = vexpm1(f32x4.add(xc, xc));
  return f32x4.div(e, f32x4.add(e, splat4(2.0)));
}

/**
 * exp(extra - x^2 / 2) for x >= 0. x^2 / 2 is never rounded as a whole, since its rounding error
 * (relative 6e-8, times up to ~100 in the tails that matter) would become exp's relative error:
 * with x = hi + lo, hi holding 12 bits, hi^2 / 2 is exact and the rest is small.
 */
@inline export function vexpMinusHalfSquare(x: v128, extra: v128): v128 {
  const xc = f32x4.min(x, splat4(20.0)); // e^-200 underflows already; keeps inf out of hi - lo
  const hi = v128.and(xc, i32x4.splat(0xfffff000));
  const lo = f32x4.sub(xc, hi);
  const rest = f32x4.mul(fma(splat4(0.5), lo, hi), lo);
  return f32x4.mul(vexp(f32x4.mul(splat4(-0.5), f32x4.mul(hi, hi))), vexp(f32x4.sub(extra, rest)));
}

/**
 * 1 + erf(x / sqrt 2) = 2 Phi(x), from erfc on whichever side avoids cancellation. erfc is
 * Numerical Recipes' erfcc fit, erfc(z) = t exp(-z^2 + P(t)), fractional error < 1.2e-7.
 */
@inline export function vtwoPhi(x: v128): v128 {
  const ax = f32x4.abs(x);
  const t = f32x4.div(splat4(1.0), fma(splat4(0.35355339), ax, splat4(1.0))); // 1 / (1 + z / 2)
  let p = fma(splat4(0.17087277), t, splat4(-0.82215223));
  p = fma(p, t, splat4(1.48851587));
  p = fma(p, t, splat4(-1.13520398));
  p = fma(p, t, splat4(0.27886807));
  p = fma(p, t, splat4(-0.18628806));
  p = fma(p, t, splat4(0.09678418));
  p = fma(p, t, splat4(0.37409196));
  p = fma(p, t, splat4(1.00002368));
  p = fma(p, t, splat4(-1.26551223));
  const c = f32x4.mul(t, vexpMinusHalfSquare(ax, p));
  return select4(f32x4.lt(x, splat4(0.0)), c, f32x4.sub(splat4(2.0), c));
}

/** Applies a scalar function lane by lane (for the rarely hot sin, cos and pow). */
@inline export function lanes1(x: v128, f: (a: f32) => f32): v128 {
  let r = f32x4.splat(f(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, f(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, f(f32x4.extract_lane(x, 2)));
  return f32x4.replace_lane(r, 3, f(f32x4.extract_lane(x, 3)));
}

@inline export function lanes2(x: v128, y: v128, f: (a: f32, b: f32) => f32): v128 {
  let r = f32x4.splat(f(f32x4.extract_lane(x, 0), f32x4.extract_lane(y, 0)));
  r = f32x4.replace_lane(r, 1, f(f32x4.extract_lane(x, 1), f32x4.extract_lane(y, 1)));
  r = f32x4.replace_lane(r, 2, f(f32x4.extract_lane(x, 2), f32x4.extract_lane(y, 2)));
  return f32x4.replace_lane(r, 3, f(f32x4.extract_lane(x, 3), f32x4.extract_lane(y, 3)));
}
