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

/**
 * Stores rows × cols of an MR×NR block of accumulators (c<row><half>) at c. With `epilogue`
 * the block is finished first: bias (when not 0) added, ReLU applied when asked. ReLU is
 * pmax(v, 0), one maxps (f32x4.max compiles to eight instructions for its NaN and -0 rules);
 * without it pmax(v, -inf) leaves v as it is, so there is no branch per vector.
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
    const floor = f32x4.splat(relu ? 0 : -Infinity);
    c00 = f32x4.pmax(f32x4.add(c00, bias0), floor); c01 = f32x4.pmax(f32x4.add(c01, bias1), floor);
    c10 = f32x4.pmax(f32x4.add(c10, bias0), floor); c11 = f32x4.pmax(f32x4.add(c11, bias1), floor);
    c20 = f32x4.pmax(f32x4.add(c20, bias0), floor); c21 = f32x4.pmax(f32x4.add(c21, bias1), floor);
    c30 = f32x4.pmax(f32x4.add(c30, bias0), floor); c31 = f32x4.pmax(f32x4.add(c31, bias1), floor);
  }
  if (rows == 4 && cols == 8) {
    // The whole block, with no branch per row and half.
    v128.store(c, c00); v128.store(c, c01, 16); v128.store(c + ldcBytes, c10); v128.store(c + ldcBytes, c11, 16);
    c += 2 * ldcBytes;
    v128.store(c, c20); v128.store(c, c21, 16); v128.store(c + ldcBytes, c30); v128.store(c + ldcBytes, c31, 16);
    return;
  }
  storePart(c, c00, n0); storePart(c + 16, c01, n1);
  if (rows > 1) { storePart(c + ldcBytes, c10, n0); storePart(c + ldcBytes + 16, c11, n1); }
  if (rows > 2) { storePart(c + 2 * ldcBytes, c20, n0); storePart(c + 2 * ldcBytes + 16, c21, n1); }
  if (rows > 3) { storePart(c + 3 * ldcBytes, c30, n0); storePart(c + 3 * ldcBytes + 16, c31, n1); }
}
