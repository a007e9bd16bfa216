// Kernel family 'batch_norm': see src/engine/kernels.ts for the contract and
// src/engine/reference/batch_norm.ts for the definitions.
//
// x is `outer` rows of `c * inner` columns; channel ch owns columns [ch * inner, (ch + 1) * inner).
// Work units are channels, so a thread owns a contiguous band of columns and runs the whole
// pipeline (column sums over the rows, per-channel statistics, elementwise pass) on it alone.
// Every column is reduced over the rows in row order, four columns per vector lane and the same
// arithmetic (no fused multiply-add) in the scalar tail, so a value never depends on the split.
//
// `scratch` holds four column arrays of c * inner floats, M, A, B and K: the per-column copy of
// the channel mean, and running sums or per-column coefficients.

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

/** One step of `op` on a column (f32) or four (v128); row pointers and column pointers are offset. */
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

/** Runs `op` over columns [j0, j1) of every row, rows in order. */
@inline function rows(
  op: i32, outer: i32, width: i32, j0: i32, j1: i32,
  x: usize, dy: usize, out: usize, m: usize, a: usize, b: usize, k: usize,
): void {
  for (let o = 0; o < outer; o++) {
    const r = <usize>o * width << 2;
    let j = j0;
    for (; j + 4 <= j1; j += 4) {
      const q = <usize>j << 2;
      apply<v128>(op, x + r + q, dy + r + q, out + r + q, m + q, a + q, b + q, k + q);
    }
    for (; j < j1; j++) {
      const q = <usize>j << 2;
      apply<f32>(op, x + r + q, dy + r + q, out + r + q, m + q, a + q, b + q, k + q);
    }
  }
}

/** Sum of channel ch's columns of `col`. */
@inline function channelSum(col: usize, ch: i32, inner: i32): f32 {
  let s: f32 = 0;
  for (let i = 0; i < inner; i++) s += load<f32>(col + (<usize>(ch * inner + i) << 2));
  return s;
}

/** Sets channel ch's columns of `col` to v. */
@inline function fillChannel(col: usize, ch: i32, inner: i32, v: f32): void {
  for (let i = 0; i < inner; i++) store<f32>(col + (<usize>(ch * inner + i) << 2), v);
}

@inline function zeroColumns(col: usize, j0: i32, j1: i32): void {
  memory.fill(col + (<usize>j0 << 2), 0, <usize>(j1 - j0) << 2);
}

@inline function optional(p: usize, ch: i32, absent: f32): f32 {
  return p ? load<f32>(p + (<usize>ch << 2)) : absent;
}

@inline function invStd(variance: f32, epsilon: f32): f32 {
  return <f32>1 / Mathf.sqrt(variance + epsilon);
}

/** K = gamma / sqrt(variance + epsilon) and B = beta on channel ch's columns. */
@inline function setAffine(ch: i32, inner: i32, variance: f32, epsilon: f32, gamma: usize, beta: usize, k: usize, b: usize): void {
  fillChannel(k, ch, inner, optional(gamma, ch, 1) * invStd(variance, epsilon));
  fillChannel(b, ch, inner, optional(beta, ch, 0));
}

/** Training-mode batch norm: batch mean and biased variance (two passes), then normalize. */
export function batchNormTrain(
  start: i32, end: i32, tid: i32, x: usize, gamma: usize, beta: usize, out: usize, mean: usize, variance: usize,
  outer: i32, c: i32, inner: i32, epsilon: f32, scratch: usize,
): void {
  const width = c * inner, j0 = start * inner, j1 = end * inner;
  const n = <f32>(outer * inner);
  const m = scratch, a = m + (<usize>width << 2), b = a + (<usize>width << 2), k = b + (<usize>width << 2);
  zeroColumns(a, j0, j1);
  rows(SUM, outer, width, j0, j1, x, 0, 0, m, a, b, k);
  for (let ch = start; ch < end; ch++) {
    const mu = channelSum(a, ch, inner) / n;
    store<f32>(mean + (<usize>ch << 2), mu);
    fillChannel(m, ch, inner, mu);
  }
  zeroColumns(a, j0, j1);
  rows(SQUARED_DEVIATION, outer, width, j0, j1, x, 0, 0, m, a, b, k);
  for (let ch = start; ch < end; ch++) {
    const v = channelSum(a, ch, inner) / n;
    store<f32>(variance + (<usize>ch << 2), v);
    setAffine(ch, inner, v, epsilon, gamma, beta, k, b);
  }
  rows(NORMALIZE, outer, width, j0, j1, x, 0, out, m, a, b, k);
}

/** Inference-mode batch norm with the given mean and variance. */
export function batchNormInfer(
  start: i32, end: i32, tid: i32, x: usize, mean: usize, variance: usize, gamma: usize, beta: usize, out: usize,
  outer: i32, c: i32, inner: i32, epsilon: f32, scratch: usize,
): void {
  const width = c * inner;
  const m = scratch, a = m + (<usize>width << 2), b = a + (<usize>width << 2), k = b + (<usize>width << 2);
  for (let ch = start; ch < end; ch++) {
    fillChannel(m, ch, inner, load<f32>(mean + (<usize>ch << 2)));
    setAffine(ch, inner, load<f32>(variance + (<usize>ch << 2)), epsilon, gamma, beta, k, b);
  }
  rows(NORMALIZE, outer, width, start * inner, end * inner, x, 0, out, m, a, b, k);
}

/**
 * Backward of training-mode batch norm through the batch statistics:
 * dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)), dgamma = sum(dy * xhat),
 * dbeta = sum(dy), with xhat = (x - mean) * invStd.
 */
export function batchNormTrainGrad(
  start: i32, end: i32, tid: i32, x: usize, dy: usize, gamma: usize, mean: usize, variance: usize,
  dx: usize, dgamma: usize, dbeta: usize, outer: i32, c: i32, inner: i32, epsilon: f32, scratch: usize,
): void {
  const width = c * inner, j0 = start * inner, j1 = end * inner;
  const n = <f32>(outer * inner);
  const m = scratch, a = m + (<usize>width << 2), b = a + (<usize>width << 2), k = b + (<usize>width << 2);
  for (let ch = start; ch < end; ch++) fillChannel(m, ch, inner, load<f32>(mean + (<usize>ch << 2)));
  zeroColumns(a, j0, j1);
  zeroColumns(b, j0, j1);
  rows(GRAD_SUMS, outer, width, j0, j1, x, dy, 0, m, a, b, k);
  for (let ch = start; ch < end; ch++) {
    const sumDy = channelSum(a, ch, inner);
    const inv = invStd(load<f32>(variance + (<usize>ch << 2)), epsilon);
    const sumDyXhat = channelSum(b, ch, inner) * inv;
    if (dbeta) store<f32>(dbeta + (<usize>ch << 2), sumDy);
    if (dgamma) store<f32>(dgamma + (<usize>ch << 2), sumDyXhat);
    fillChannel(a, ch, inner, sumDy / n);
    fillChannel(b, ch, inner, sumDyXhat * inv / n);
    fillChannel(k, ch, inner, optional(gamma, ch, 1) * inv);
  }
  rows(GRAD, outer, width, j0, j1, x, dy, dx, m, a, b, k);
}
