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

/** One step of `op` on one column (f32) or four (v128); all pointers are already offset. */
@inline function apply<T>(op: i32, x: usize, dy: usize, out: usize, m: usize, a: usize, b: usize, k: usize): void {
  if (op == SUM) {
    store<T>(a, add<T>(load<T>(a), load<T>(x)));
    return;
  }
  const d = sub<T>(load<T>(x), load<T>(m));
  if (op == SQUARED_DEVIATION) {
    store<T>(a, add<T>(load<T>(a), mul<T>(d, d)));
  } else if (op == GRAD_SUMS) {
    const g = load<T>(dy);
    store<T>(a, add<T>(load<T>(a), g));
    store<T>(b, add<T>(load<T>(b), mul<T>(g, d)));
  } else if (op == NORMALIZE) {
    store<T>(out, add<T>(mul<T>(d, load<T>(k)), load<T>(b)));
  } else if (op == GRAD) {
    store<T>(out, mul<T>(sub<T>(sub<T>(load<T>(dy), load<T>(a)), mul<T>(d, load<T>(b))), load<T>(k)));
  }
}

/**
 * Runs `op` over tiles [start, end). The sums (`partials` non-zero) go to the tile row's partial
 * sums: A at `partials`, B one `rowTiles × width` block later; the elementwise passes use the
 * column arrays `a`, `b`, `k` and write `out`.
 */
@inline function tiles(
  op: i32, start: i32, end: i32, outer: i32, width: i32, tileRows: i32, tileCols: i32,
  x: usize, dy: usize, out: usize, m: usize, a: usize, b: usize, k: usize, partials: usize,
): void {
  const colTiles = (width + tileCols - 1) / tileCols;
  const rowTiles = (outer + tileRows - 1) / tileRows;
  for (let t = start; t < end; t++) {
    const r0 = t / colTiles * tileRows, j0 = t % colTiles * tileCols;
    const r1 = min(r0 + tileRows, outer), j1 = min(j0 + tileCols, width);
    if (partials) {
      a = partials + (<usize>(r0 / tileRows) * width << 2);
      b = a + (<usize>rowTiles * width << 2);
      memory.fill(a + (<usize>j0 << 2), 0, <usize>(j1 - j0) << 2);
      if (op == GRAD_SUMS) memory.fill(b + (<usize>j0 << 2), 0, <usize>(j1 - j0) << 2);
    }
    for (let r = r0; r < r1; r++) {
      const row = <usize>r * width << 2;
      let j = j0;
      for (; j + 4 <= j1; j += 4) {
        const q = <usize>j << 2;
        apply<v128>(op, x + row + q, dy + row + q, out + row + q, m + q, a + q, b + q, k + q);
      }
      for (; j < j1; j++) {
        const q = <usize>j << 2;
        apply<f32>(op, x + row + q, dy + row + q, out + row + q, m + q, a + q, b + q, k + q);
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
