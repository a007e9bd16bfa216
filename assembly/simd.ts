// The tiny vector API the kernels are written against. The relaxed build turns `fma` into one
// fused multiply-add; the plain SIMD build, for runtimes without relaxed SIMD, into two ops.

/** a * b + c on four float32 lanes. */
@inline export function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline export function load4(ptr: usize): v128 {
  return v128.load(ptr);
}

@inline export function store4(ptr: usize, v: v128): void {
  v128.store(ptr, v);
}

@inline export function splat4(x: f32): v128 {
  return f32x4.splat(x);
}
