// Kernel family 'batch_norm': see src/engine/kernels.ts for the contract and
// src/engine/reference/batch_norm.ts for the definitions.
//
// x is `outer` rows of `width = channels * inner` columns; channel ch owns columns
// [ch * inner, (ch + 1) * inner). The row passes work on tiles of `tileRows` by `tileCols` (the
// work units, numbered tile row by tile row), so each thread streams contiguous memory. A sum
// over the rows is made in two fixed levels, whatever the thread count: each tile sums its rows
// into its own partial (one row of `partials` per tile row), then the channel passes add the
// partials in tile-row order. The vector body and the scalar tail do the same float32 arithmetic
// (no fused multiply-add), so a column's value never depends on which of them computed it.
//
// Column arrays of `width` floats hold what the elementwise passes need per column: M (the
// channel mean), K and B (scale and shift, or in the backward pass K, A and B coefficients).

const SUM = 0; // A += x
const SQUARED_DEVIATION = 1; // A += (x - M)^2
const GRAD_SUMS = 2; // A += dy; B += dy * (x - M)
const NORMALIZE = 3; // out = (x - M) * K + B
const GRAD = 4; // out = (dy - A - (x - M) * B) * K

@inline function add<T>(a: T, b: T): T {
  if (isVector<T>()) return f32x4.add(a, b);
  else return a + b;
}

@inline function sub<T>(a: T, b: T): T {
  if (isVector<T>()) return f32x4.sub(a, b);
  else return a - b;
}

@inline function mul<T>(a: T, b: T): T {
  if (isVector<T>()) return f32x4.mul(a, b);
  else return a * b;
}

/** A's next sum in a sum pass: A + x, A + (x - M)^2 or A + dy (f32: one column, v128: four). */
@inline function sumStep<T>(op: i32, acc: T, x: usize, dy: usize, m: T): T {
  if (op == SUM) return add<T>(acc, load<T>(x));
  if (op == GRAD_SUMS) return add<T>(acc, load<T>(dy));
  const d = sub<T>(load<T>(x), m);
  return add<T>(acc, mul<T>(d, d));
}

/** B's next sum in the GRAD_SUMS pass: B + dy * (x - M). */
@inline function gradStep<T>(acc: T, x: usize, dy: usize, m: T): T {
  return add<T>(acc, mul<T>(load<T>(dy), sub<T>(load<T>(x), m)));
}

/** One element of an elementwise pass, given its column's M, A, B and K. */
@inline function elementStep<T>(op: i32, x: usize, dy: usize, out: usize, m: T, a: T, b: T, k: T): void {
  const d = sub<T>(load<T>(x), m);
  if (op == NORMALIZE) store<T>(out, add<T>(mul<T>(d, k), b));
  else store<T>(out, mul<T>(sub<T>(sub<T>(load<T>(dy), a), mul<T>(d, b)), k));
}

/** The column value at `p` if the pass uses it, else zero. */
@inline function constant<T>(use: bool, p: usize): T {
  if (isVector<T>()) return use ? load<v128>(p) : f32x4.splat(0);
  else return use ? load<f32>(p) : 0;
}

/**
 * A sum pass over `rows` rows (`stride` bytes apart) of `n` vectors (n ≤ 8, a constant) of
 * columns, the sums held in registers and stored to `a` (and `b`) at the end. Each column still
 * adds its rows in row order from 0, as one column at a time would.
 */
@inline function sumStrip(
  op: i32, n: i32, rows: i32, stride: usize, x: usize, dy: usize, m: usize, a: usize, b: usize,
): void {
  const z = f32x4.splat(0);
  let a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
  let b0 = z, b1 = z, b2 = z, b3 = z, b4 = z, b5 = z, b6 = z, b7 = z;
  const grad = op == GRAD_SUMS, useM = op != SUM;
  const m0 = constant<v128>(useM, m), m1 = constant<v128>(useM && n > 1, m + 16);
  const m2 = constant<v128>(useM && n > 2, m + 32), m3 = constant<v128>(useM && n > 3, m + 48);
  const m4 = constant<v128>(useM && n > 4, m + 64), m5 = constant<v128>(useM && n > 5, m + 80);
  const m6 = constant<v128>(useM && n > 6, m + 96), m7 = constant<v128>(useM && n > 7, m + 112);
  for (let r = 0; r < rows; r++) {
    a0 = sumStep<v128>(op, a0, x, dy, m0);
    if (grad) b0 = gradStep<v128>(b0, x, dy, m0);
    if (n > 1) {
      a1 = sumStep<v128>(op, a1, x + 16, dy + 16, m1);
      if (grad) b1 = gradStep<v128>(b1, x + 16, dy + 16, m1);
    }
    if (n > 2) {
      a2 = sumStep<v128>(op, a2, x + 32, dy + 32, m2);
      if (grad) b2 = gradStep<v128>(b2, x + 32, dy + 32, m2);
    }
    if (n > 3) {
      a3 = sumStep<v128>(op, a3, x + 48, dy + 48, m3);
      if (grad) b3 = gradStep<v128>(b3, x + 48, dy + 48, m3);
    }
    if (n > 4) {
      a4 = sumStep<v128>(op, a4, x + 64, dy + 64, m4);
      if (grad) b4 = gradStep<v128>(b4, x + 64, dy + 64, m4);
    }
    if (n > 5) {
      a5 = sumStep<v128>(op, a5, x + 80, dy + 80, m5);
      if (grad) b5 = gradStep<v128>(b5, x + 80, dy + 80, m5);
    }
    if (n > 6) {
      a6 = sumStep<v128>(op, a6, x + 96, dy + 96, m6);
      if (grad) b6 = gradStep<v128>(b6, x + 96, dy + 96, m6);
    }
    if (n > 7) {
      a7 = sumStep<v128>(op, a7, x + 112, dy + 112, m7);
      if (grad) b7 = gradStep<v128>(b7, x + 112, dy + 112, m7);
    }
    x += stride;
    dy += stride;
  }
  v128.store(a, a0);
  if (n > 1) v128.store(a, a1, 16);
  if (n > 2) v128.store(a, a2, 32);
  if (n > 3) v128.store(a, a3, 48);
  if (n > 4) v128.store(a, a4, 64);
  if (n > 5) v128.store(a, a5, 80);
  if (n > 6) v128.store(a, a6, 96);
  if (n > 7) v128.store(a, a7, 112);
  if (grad) {
    v128.store(b, b0);
    if (n > 1) v128.store(b, b1, 16);
    if (n > 2) v128.store(b, b2, 32);
    if (n > 3) v128.store(b, b3, 48);
    if (n > 4) v128.store(b, b4, 64);
    if (n > 5) v128.store(b, b5, 80);
    if (n > 6) v128.store(b, b6, 96);
    if (n > 7) v128.store(b, b7, 112);
  }
}

/** A sum pass down one column (a tile's last columns that fill no vector). */
@inline function sumColumn(op: i32, rows: i32, stride: usize, x: usize, dy: usize, m: usize, a: usize, b: usize): void {
  let sa: f32 = 0, sb: f32 = 0;
  const mv = constant<f32>(op != SUM, m);
  for (let r = 0; r < rows; r++) {
    sa = sumStep<f32>(op, sa, x, dy, mv);
    if (op == GRAD_SUMS) sb = gradStep<f32>(sb, x, dy, mv);
    x += stride;
    dy += stride;
  }
  store<f32>(a, sa);
  if (op == GRAD_SUMS) store<f32>(b, sb);
}

/** One vector of an elementwise strip, its column values loaded from the column arrays. */
@inline function elementVector(op: i32, x: usize, dy: usize, out: usize, m: usize, a: usize, b: usize, k: usize): void {
  elementStep<v128>(op, x, dy, out, load<v128>(m), constant<v128>(op == GRAD, a), load<v128>(b), load<v128>(k));
}

/**
 * An elementwise pass over `rows` rows of `n` vectors (n ≤ 8, a constant) of columns. The
 * column values are reloaded on every row (immediate offsets, no address arithmetic): holding
 * 4 vectors' M, A, B and K in locals measured slower on V8 (register spills, presumably).
 */
@inline function elementStrip(
  op: i32, n: i32, rows: i32, stride: usize, x: usize, dy: usize, out: usize, m: usize, a: usize, b: usize,
  k: usize,
): void {
  for (let r = 0; r < rows; r++) {
    elementVector(op, x, dy, out, m, a, b, k);
    if (n > 1) elementVector(op, x + 16, dy + 16, out + 16, m + 16, a + 16, b + 16, k + 16);
    if (n > 2) elementVector(op, x + 32, dy + 32, out + 32, m + 32, a + 32, b + 32, k + 32);
    if (n > 3) elementVector(op, x + 48, dy + 48, out + 48, m + 48, a + 48, b + 48, k + 48);
    if (n > 4) elementVector(op, x + 64, dy + 64, out + 64, m + 64, a + 64, b + 64, k + 64);
    if (n > 5) elementVector(op, x + 80, dy + 80, out + 80, m + 80, a + 80, b + 80, k + 80);
    if (n > 6) elementVector(op, x + 96, dy + 96, out + 96, m + 96, a + 96, b + 96, k + 96);
    if (n > 7) elementVector(op, x + 112, dy + 112, out + 112, m + 112, a + 112, b + 112, k + 112);
    x += stride;
    dy += stride;
    out += stride;
  }
}

/** An elementwise pass down one column. */
@inline function elementColumn(
  op: i32, rows: i32, stride: usize, x: usize, dy: usize, out: usize, m: usize, a: usize, b: usize, k: usize,
): void {
  const mv = load<f32>(m), av = constant<f32>(op == GRAD, a), bv = load<f32>(b), kv = load<f32>(k);
  for (let r = 0; r < rows; r++) {
    elementStep<f32>(op, x, dy, out, mv, av, bv, kv);
    x += stride;
    dy += stride;
    out += stride;
  }
}

/**
 * Runs `op` over tiles [start, end). The sums (`partials` non-zero) go to the tile row's partial
 * sums: A at `partials`, B one `rowTiles × width` block later; the elementwise passes use the
 * column arrays `a`, `b`, `k` and write `out`. Each tile is walked in strips of up to 32 columns
 * down its rows, so a sum pass keeps its sums in registers and stores them once per tile.
 */
@inline function tiles(
  op: i32, start: i32, end: i32, outer: i32, width: i32, tileRows: i32, tileCols: i32,
  x: usize, dy: usize, out: usize, m: usize, a: usize, b: usize, k: usize, partials: usize,
): void {
  const colTiles = (width + tileCols - 1) / tileCols;
  const rowTiles = (outer + tileRows - 1) / tileRows;
  const stride = <usize>width << 2;
  const sums = op <= GRAD_SUMS;
  for (let t = start; t < end; t++) {
    const r0 = t / colTiles * tileRows, j0 = t % colTiles * tileCols;
    const rows = min(r0 + tileRows, outer) - r0, j1 = min(j0 + tileCols, width);
    if (partials) {
      a = partials + (<usize>(r0 / tileRows) * width << 2);
      b = a + (<usize>rowTiles * width << 2);
    }
    const row = <usize>r0 * stride;
    let j = j0;
    if (sums) {
      for (; j + 32 <= j1; j += 32) {
        const q = <usize>j << 2;
        sumStrip(op, 8, rows, stride, x + row + q, dy + row + q, m + q, a + q, b + q);
      }
      for (; j + 16 <= j1; j += 16) {
        const q = <usize>j << 2;
        sumStrip(op, 4, rows, stride, x + row + q, dy + row + q, m + q, a + q, b + q);
      }
      for (; j + 4 <= j1; j += 4) {
        const q = <usize>j << 2;
        sumStrip(op, 1, rows, stride, x + row + q, dy + row + q, m + q, a + q, b + q);
      }
      for (; j < j1; j++) {
        const q = <usize>j << 2;
        sumColumn(op, rows, stride, x + row + q, dy + row + q, m + q, a + q, b + q);
      }
    } else {
      for (; j + 32 <= j1; j += 32) {
        const q = <usize>j << 2;
        elementStrip(op, 8, rows, stride, x + row + q, dy + row + q, out + row + q, m + q, a + q, b + q, k + q);
      }
      for (; j + 16 <= j1; j += 16) {
        const q = <usize>j << 2;
        elementStrip(op, 4, rows, stride, x + row + q, dy + row + q, out + row + q, m + q, a + q, b + q, k + q);
      }
      for (; j + 4 <= j1; j += 4) {
        const q = <usize>j << 2;
        elementStrip(op, 1, rows, stride, x + row + q, dy + row + q, out + row + q, m + q, a + q, b + q, k + q);
      }
      for (; j < j1; j++) {
        const q = <usize>j << 2;
        elementColumn(op, rows, stride, x + row + q, dy + row + q, out + row + q, m + q, a + q, b + q, k + q);
      }
    }
  }
}

/** Row tiles' partial sums, first level: A = sum of x. */
export function batchNormSums(
  start: i32, end: i32, tid: i32, x: usize, partials: usize, outer: i32, width: i32, tileRows: i32,
  tileCols: i32,
): void {
  tiles(SUM, start, end, outer, width, tileRows, tileCols, x, 0, 0, 0, 0, 0, 0, partials);
}

/** A = sum of (x - M)^2, M the mean per column. */
export function batchNormDeviationSums(
  start: i32, end: i32, tid: i32, x: usize, m: usize, partials: usize, outer: i32, width: i32, tileRows: i32,
  tileCols: i32,
): void {
  tiles(SQUARED_DEVIATION, start, end, outer, width, tileRows, tileCols, x, 0, 0, m, 0, 0, 0, partials);
}

/** A = sum of dy, B = sum of dy * (x - M). */
export function batchNormGradSums(
  start: i32, end: i32, tid: i32, x: usize, dy: usize, m: usize, partials: usize, outer: i32, width: i32,
  tileRows: i32, tileCols: i32,
): void {
  tiles(GRAD_SUMS, start, end, outer, width, tileRows, tileCols, x, dy, 0, m, 0, 0, 0, partials);
}

/** out = (x - M) * K + B. */
export function batchNormNormalize(
  start: i32, end: i32, tid: i32, x: usize, out: usize, m: usize, k: usize, b: usize, outer: i32, width: i32,
  tileRows: i32, tileCols: i32,
): void {
  tiles(NORMALIZE, start, end, outer, width, tileRows, tileCols, x, 0, out, m, 0, b, k, 0);
}

/** dx = (dy - A - (x - M) * B) * K. */
export function batchNormGradApply(
  start: i32, end: i32, tid: i32, x: usize, dy: usize, dx: usize, m: usize, a: usize, b: usize, k: usize,
  outer: i32, width: i32, tileRows: i32, tileCols: i32,
): void {
  tiles(GRAD, start, end, outer, width, tileRows, tileCols, x, dy, dx, m, a, b, k, 0);
}

// ---- Per-channel passes: work units are channels ----

/**
 * Second level: channel ch's total of the partial sums at `partials`, each column tile row by tile
 * row, the columns added in groups of 64 (long channels-first rows stay accurate too).
 */
@inline function channelTotal(partials: usize, ch: i32, inner: i32, rowTiles: i32, width: i32): f32 {
  let total: f32 = 0, group: f32 = 0;
  for (let i = 0; i < inner; i++) {
    const j = ch * inner + i;
    for (let t = 0; t < rowTiles; t++) group += load<f32>(partials + (<usize>(t * width + j) << 2));
    if ((i & 63) == 63) {
      total += group;
      group = 0;
    }
  }
  return total + group;
}

/** Sets channel ch's columns of `col` to v. */
@inline function fillChannel(col: usize, ch: i32, inner: i32, v: f32): void {
  for (let i = 0; i < inner; i++) store<f32>(col + (<usize>(ch * inner + i) << 2), v);
}

@inline function at(p: usize, ch: i32): f32 {
  return load<f32>(p + (<usize>ch << 2));
}

@inline function optional(p: usize, ch: i32, absent: f32): f32 {
  return p ? at(p, ch) : absent;
}

@inline function invStd(variance: f32, epsilon: f32): f32 {
  return <f32>1 / Mathf.sqrt(variance + epsilon);
}

/** K = gamma / sqrt(variance + epsilon) and B = beta on channel ch's columns. */
@inline function setAffine(
  ch: i32, inner: i32, variance: f32, epsilon: f32, gamma: usize, beta: usize, k: usize, b: usize,
): void {
  fillChannel(k, ch, inner, optional(gamma, ch, 1) * invStd(variance, epsilon));
  fillChannel(b, ch, inner, optional(beta, ch, 0));
}

/** mean = total of x / n, copied to the columns M. */
export function batchNormMean(
  start: i32, end: i32, tid: i32, partials: usize, mean: usize, m: usize, outer: i32, c: i32, inner: i32,
  rowTiles: i32,
): void {
  const n = <f32>(outer * inner);
  for (let ch = start; ch < end; ch++) {
    const mu = channelTotal(partials, ch, inner, rowTiles, c * inner) / n;
    store<f32>(mean + (<usize>ch << 2), mu);
    fillChannel(m, ch, inner, mu);
  }
}

/** The biased variance = total of (x - mean)^2 / n, and the affine columns K and B from it. */
export function batchNormVariance(
  start: i32, end: i32, tid: i32, partials: usize, variance: usize, gamma: usize, beta: usize, k: usize, b: usize,
  outer: i32, c: i32, inner: i32, epsilon: f32, rowTiles: i32,
): void {
  const n = <f32>(outer * inner);
  for (let ch = start; ch < end; ch++) {
    const v = channelTotal(partials, ch, inner, rowTiles, c * inner) / n;
    store<f32>(variance + (<usize>ch << 2), v);
    setAffine(ch, inner, v, epsilon, gamma, beta, k, b);
  }
}

/** Inference: M, K and B from the given statistics. */
export function batchNormColumns(
  start: i32, end: i32, tid: i32, mean: usize, variance: usize, gamma: usize, beta: usize, m: usize, k: usize, b: usize,
  inner: i32, epsilon: f32,
): void {
  for (let ch = start; ch < end; ch++) {
    if (m) fillChannel(m, ch, inner, at(mean, ch));
    if (k) setAffine(ch, inner, at(variance, ch), epsilon, gamma, beta, k, b);
  }
}

/**
 * Backward through the batch statistics, per channel: dbeta = sum(dy), dgamma = sum(dy * xhat)
 * with xhat = (x - mean) * invStd, and the columns of
 * dx = gamma * invStd * (dy - dbeta / n - (x - mean) * invStd * dgamma / n).
 */
export function batchNormGradCoefficients(
  start: i32, end: i32, tid: i32, partials: usize, gamma: usize, variance: usize, dgamma: usize, dbeta: usize,
  a: usize, b: usize, k: usize, outer: i32, c: i32, inner: i32, epsilon: f32, rowTiles: i32,
): void {
  const width = c * inner;
  const n = <f32>(outer * inner);
  const partialsB = partials + (<usize>rowTiles * width << 2);
  for (let ch = start; ch < end; ch++) {
    const sumDy = channelTotal(partials, ch, inner, rowTiles, width);
    const inv = invStd(at(variance, ch), epsilon);
    const sumDyXhat = channelTotal(partialsB, ch, inner, rowTiles, width) * inv;
    if (dbeta) store<f32>(dbeta + (<usize>ch << 2), sumDy);
    if (dgamma) store<f32>(dgamma + (<usize>ch << 2), sumDyXhat);
    fillChannel(a, ch, inner, sumDy / n);
    fillChannel(b, ch, inner, sumDyXhat * inv / n);
    fillChannel(k, ch, inner, optional(gamma, ch, 1) * inv);
  }
}
