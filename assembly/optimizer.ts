// Fused optimizer updates: one pass over a weight and its slots instead of a dozen elementwise
// kernels, each of which would copy whole arrays in and out of engine memory.
// No fused multiply-add here, even in the relaxed build: the step must round exactly like the
// same step composed from elementwise ops (see OptimizerKernels in src/engine/kernels.ts).

/** Elements per work unit: big enough to amortise the dispatch, small enough to split well. */
export const ADAM_CHUNK: i32 = 4096;

/**
 * Adam over chunks [start, end) of n elements: reads w, g, m, v and writes w2, m2, v2.
 * c1 and c2 are (1 - beta1) and (1 - beta2).
 * Chunks are independent, so any split across threads gives the same bits.
 */
export function adam_update(start: i32, end: i32, _tid: i32, w: usize, g: usize, m: usize, v: usize,
  w2: usize, m2: usize, v2: usize, n: i32, alpha: f32, c1: f32, c2: f32, epsilon: f32): void {
  // c1 = 1 - beta1 and c2 = 1 - beta2 come computed in double and rounded once, as the ops do.
  const c1v = f32x4.splat(c1);
  const c2v = f32x4.splat(c2);
  const alphav = f32x4.splat(alpha);
  const epsv = f32x4.splat(epsilon);
  const first = start * ADAM_CHUNK;
  const last = min(end * ADAM_CHUNK, n);
  let i = first;
  for (; i + 4 <= last; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = v128.load(m + o);
    const vi = v128.load(v + o);
    const mn = f32x4.add(mi, f32x4.mul(f32x4.sub(gi, mi), c1v));
    const vn = f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), vi), c2v));
    v128.store(m2 + o, mn);
    v128.store(v2 + o, vn);
    const step = f32x4.div(f32x4.mul(mn, alphav), f32x4.add(f32x4.sqrt(vn), epsv));
    v128.store(w2 + o, f32x4.sub(v128.load(w + o), step));
  }
  for (; i < last; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o);
    const vi = load<f32>(v + o);
    const mn = mi + (gi - mi) * c1;
    const vn = vi + (gi * gi - vi) * c2;
    store<f32>(m2 + o, mn);
    store<f32>(v2 + o, vn);
    store<f32>(w2 + o, load<f32>(w + o) - (mn * alpha) / (Mathf.sqrt(vn) + epsilon));
  }
}
