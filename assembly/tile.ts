// Loads and stores of the MR×NR (4×8) register block, shared by the GEMM micro-kernel (gemm.ts)
// and the direct convolution (conv.ts). Not re-exported by index.ts: functions with v128
// parameters cannot be module exports without a compiler warning.

@inline export function loadPart(p: usize, count: i32): v128 {
  if (count >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  if (count > 0) v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

@inline export function storePart(p: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(p, v);
    return;
  }
  if (count > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Bias and ReLU, applied after the last k block. */
@inline function finish(v: v128, bias: v128, relu: bool): v128 {
  const s = f32x4.add(v, bias);
  return relu ? f32x4.max(s, f32x4.splat(0)) : s;
}

/**
 * Stores rows × cols of an MR×NR block of accumulators (c<row><half>) at c. With `epilogue`
 * the block is finished first: bias (when not 0) added, ReLU applied when asked.
 */
@inline export function storeTile(
  c: usize, ldcBytes: usize, rows: i32, cols: i32, epilogue: bool, bias: usize, relu: bool,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
): void {
  const n0 = min(cols, 4);
  const n1 = cols - 4;
  if (epilogue) {
    const bias0 = bias ? loadPart(bias, n0) : f32x4.splat(0);
    const bias1 = bias ? loadPart(bias + 16, n1) : f32x4.splat(0);
    c00 = finish(c00, bias0, relu); c01 = finish(c01, bias1, relu);
    c10 = finish(c10, bias0, relu); c11 = finish(c11, bias1, relu);
    c20 = finish(c20, bias0, relu); c21 = finish(c21, bias1, relu);
    c30 = finish(c30, bias0, relu); c31 = finish(c31, bias1, relu);
  }
  storePart(c, c00, n0); storePart(c + 16, c01, n1);
  if (rows > 1) { storePart(c + ldcBytes, c10, n0); storePart(c + ldcBytes + 16, c11, n1); }
  if (rows > 2) { storePart(c + 2 * ldcBytes, c20, n0); storePart(c + 2 * ldcBytes + 16, c21, n1); }
  if (rows > 3) { storePart(c + 3 * ldcBytes, c30, n0); storePart(c + 3 * ldcBytes + 16, c31, n1); }
}
