// Kernel family 'random': see src/engine/kernels.ts for the contract and
// src/engine/reference/random.ts for the definitions these kernels reproduce bit for bit.
// Work units are elements; element i depends only on the keys and i.

const STREAM_STEP: u32 = 0x9e3779b9;
const UNIT: f32 = 1.0 / 16777216.0; // 2^-24

// Lane-generic integer ops: T is u32 (one element) or v128 (four), so each generator is written
// once and serves both the vector body and the scalar tail with identical arithmetic.
@inline function xorShr<T>(x: T, s: i32): T {
  if (isVector<T>()) return v128.xor(x, i32x4.shr_u(x, s));
  else return x ^ (x >>> s);
}

@inline function mulConst<T>(x: T, m: u32): T {
  if (isVector<T>()) return i32x4.mul(x, i32x4.splat(m));
  else return x * m;
}

@inline function xorConst<T>(x: T, k: u32): T {
  if (isVector<T>()) return v128.xor(x, i32x4.splat(k));
  else return x ^ k;
}

/** triple32 (hash-prospector): see hash32 in the reference. */
@inline function hash32<T>(x: T): T {
  x = mulConst<T>(xorShr<T>(x, 17), 0xed5ad4bb);
  x = mulConst<T>(xorShr<T>(x, 11), 0xac4c1b51);
  x = mulConst<T>(xorShr<T>(x, 15), 0x31848bab);
  return xorShr<T>(x, 14);
}

@inline function randomBits<T>(c: T, k0: u32, k1: u32): T {
  return hash32<T>(xorConst<T>(hash32<T>(xorConst<T>(c, k0)), k1));
}

/** Counters i..i+3 as lanes, or i itself. */
@inline function counters<T>(i: i32): T {
  if (isVector<T>()) return i32x4.add(i32x4.splat(i), i32x4(0, 1, 2, 3));
  else return i as T;
}

/** [0, 1) from the top 24 bits, exact in float32 (a float vector for v128). */
@inline function unitFloat<T>(bits: T): T {
  if (isVector<T>()) return f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(bits, 8)), f32x4.splat(UNIT));
  else return reinterpret<u32>(<f32>(bits >>> 8) * UNIT) as T;
}

@inline function uniformAt<T>(i: i32, k0: u32, k1: u32, lo: f32, range: f32, top: f32): T {
  const u = unitFloat<T>(randomBits<T>(counters<T>(i), k0, k1));
  if (isVector<T>()) {
    return f32x4.pmin(f32x4.add(f32x4.splat(lo), f32x4.mul(f32x4.splat(range), u)), f32x4.splat(top));
  } else {
    const v = lo + range * reinterpret<f32>(u);
    return reinterpret<u32>(top < v ? top : v) as T;
  }
}

@inline function dropoutAt<T>(i: i32, k0: u32, k1: u32, rate: f32, scale: f32): T {
  const u = unitFloat<T>(randomBits<T>(counters<T>(i), k0, k1));
  if (isVector<T>()) return v128.andnot(f32x4.splat(scale), f32x4.lt(u, f32x4.splat(rate)));
  else return reinterpret<u32>(reinterpret<f32>(u) < rate ? <f32>0 : scale) as T;
}

/** Uniform floats in [lo, lo + range), capped at `top` (the float below maxval). */
export function randomUniform(
  start: i32, end: i32, tid: i32, out: usize, k0: u32, k1: u32, lo: f32, range: f32, top: f32,
): void {
  let i = start;
  for (; i + 4 <= end; i += 4) v128.store(out + (<usize>i << 2), uniformAt<v128>(i, k0, k1, lo, range, top));
  for (; i < end; i++) store<u32>(out + (<usize>i << 2), uniformAt<u32>(i, k0, k1, lo, range, top));
}

/**
 * Inverted dropout: mask = 0 where the element's uniform is below `rate`, else `scale`, and
 * out = x * mask, written in the same pass as the mask rather than by a multiply that reads it back.
 */
export function dropout(
  start: i32, end: i32, tid: i32, x: usize, out: usize, mask: usize, k0: u32, k1: u32, rate: f32, scale: f32,
): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const q = <usize>i << 2;
    const m = dropoutAt<v128>(i, k0, k1, rate, scale);
    v128.store(mask + q, m);
    v128.store(out + q, f32x4.mul(v128.load(x + q), m));
  }
  for (; i < end; i++) {
    const q = <usize>i << 2;
    const m = reinterpret<f32>(dropoutAt<u32>(i, k0, k1, rate, scale));
    store<f32>(mask + q, m);
    store<f32>(out + q, load<f32>(x + q) * m);
  }
}

/** Box-Muller on the uniforms at counters c0 and c0 + 1 of stream `stream`; see the reference. */
@inline function boxMuller(c0: u32, stream: u32, k0: u32, k1: u32, sine: bool): f64 {
  const k = k1 + stream * STREAM_STEP;
  const u1 = <f64>((randomBits<u32>(c0, k0, k) >>> 8) + 1) * <f64>UNIT;
  const theta = 2 * Math.PI * <f64>reinterpret<f32>(unitFloat<u32>(randomBits<u32>(c0 + 1, k0, k)));
  const r = Math.sqrt(-2 * Math.log(u1));
  return r * (sine ? Math.sin(theta) : Math.cos(theta));
}

/** Standard normals scaled to mean/stddev; elements 2k and 2k + 1 share one Box-Muller pair. */
export function randomNormal(
  start: i32, end: i32, tid: i32, out: usize, k0: u32, k1: u32, mean: f64, stddev: f64,
): void {
  for (let i = start; i < end; i++) {
    const z = boxMuller(<u32>(i & ~1), 0, k0, k1, (i & 1) == 1);
    store<f32>(out + (<usize>i << 2), <f32>(mean + stddev * z));
  }
}

/** Normals redrawn (attempt a uses stream a) until within two standard deviations. */
export function truncatedNormal(
  start: i32, end: i32, tid: i32, out: usize, k0: u32, k1: u32, mean: f64, stddev: f64,
): void {
  for (let i = start; i < end; i++) {
    const c0 = <u32>i << 1;
    let z = boxMuller(c0, 0, k0, k1, false);
    for (let a: u32 = 1; Math.abs(z) > 2; a++) z = boxMuller(c0, a, k0, k1, false);
    store<f32>(out + (<usize>i << 2), <f32>(mean + stddev * z));
  }
}
