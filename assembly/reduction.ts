// Reductions, arg-reductions and the softmax family. Work is always split over output elements
// or rows, never along the reduced axis, and each output is reduced in a fixed order, so results
// are the same bits for any thread count.
import { fma, splat4 } from './simd';
import { vexp } from './math';

// Combine codes (REDUCE_OPS in src/engine/wasm/reduction.ts); mean is SUM then a divisor.
const SUM = 0, MAX = 1, MIN = 2, PROD = 3;
const ARGMIN = 1;

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

@inline function combine(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case SUM: return f32x4.add(a, b);
    case MAX: return f32x4.max(a, b); // NaN-propagating, like NumPy
    case MIN: return f32x4.min(a, b);
    default: return f32x4.mul(a, b);
  }
}

@inline function identity(op: i32): f32 {
  switch (op) {
    case SUM: return 0;
    case MAX: return -Infinity;
    case MIN: return Infinity;
    default: return 1;
  }
}

/** Combines the four lanes as (l0 . l1) . (l2 . l3). */
@inline function horizontal(op: i32, v: v128): f32 {
  const h = combine(op, v, i32x4.shuffle(v, v, 1, 0, 3, 2));
  return f32x4.extract_lane(combine(op, h, i32x4.shuffle(h, h, 2, 3, 0, 1)), 0);
}

/** Reduces n contiguous floats: four vector accumulators, then one, then the scalar tail. */
@inline function reduceContiguous(op: i32, p: usize, n: i32): f32 {
  let a0 = splat4(identity(op)), a1 = a0, a2 = a0, a3 = a0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    a0 = combine(op, a0, v128.load(at(p, i)));
    a1 = combine(op, a1, v128.load(at(p, i + 4)));
    a2 = combine(op, a2, v128.load(at(p, i + 8)));
    a3 = combine(op, a3, v128.load(at(p, i + 12)));
  }
  a0 = combine(op, combine(op, a0, a1), combine(op, a2, a3));
  for (; i + 4 <= n; i += 4) a0 = combine(op, a0, v128.load(at(p, i)));
  let s = splat4(horizontal(op, a0));
  for (; i < n; i++) s = combine(op, s, splat4(load<f32>(at(p, i))));
  return f32x4.extract_lane(s, 0);
}

/**
 * Columns [k0, k1) of x viewed as r×k, each reduced down its r entries in order. A column's
 * arithmetic is the same whether it sits in a vector lane or in the scalar tail.
 */
@inline function reduceColumns(op: i32, x: usize, out: usize, r: i32, k: i32, k0: i32, k1: i32, divisor: f32): void {
  const init = splat4(identity(op));
  const div = splat4(divisor);
  let c = k0;
  for (; c + 16 <= k1; c += 16) {
    let a0 = init, a1 = init, a2 = init, a3 = init;
    for (let i = 0; i < r; i++) {
      const p = at(x, i * k + c);
      a0 = combine(op, a0, v128.load(p));
      a1 = combine(op, a1, v128.load(p, 16));
      a2 = combine(op, a2, v128.load(p, 32));
      a3 = combine(op, a3, v128.load(p, 48));
    }
    const q = at(out, c);
    v128.store(q, f32x4.div(a0, div));
    v128.store(q, f32x4.div(a1, div), 16);
    v128.store(q, f32x4.div(a2, div), 32);
    v128.store(q, f32x4.div(a3, div), 48);
  }
  for (; c + 4 <= k1; c += 4) {
    let a = init;
    for (let i = 0; i < r; i++) a = combine(op, a, v128.load(at(x, i * k + c)));
    v128.store(at(out, c), f32x4.div(a, div));
  }
  for (; c < k1; c++) {
    let a = init;
    for (let i = 0; i < r; i++) a = combine(op, a, splat4(load<f32>(at(x, i * k + c))));
    store<f32>(at(out, c), f32x4.extract_lane(f32x4.div(a, div), 0));
  }
}

/**
 * x viewed as m×r×k reduced over r into out (m×k), each result divided by `divisor` (1, or the
 * count for a mean). A work unit is one output element.
 */
export function reduce(start: i32, end: i32, tid: i32, op: i32, x: usize, out: usize, r: i32, k: i32, divisor: f32): void {
  if (k == 1) {
    for (let m = start; m < end; m++) store<f32>(at(out, m), reduceContiguous(op, at(x, m * r), r) / divisor);
    return;
  }
  for (let u = start; u < end;) {
    const m = u / k;
    const k0 = u - m * k;
    const k1 = min(k, k0 + end - u);
    reduceColumns(op, at(x, m * r * k), at(out, m * k), r, k, k0, k1, divisor);
    u += k1 - k0;
  }
}

/** Index of the first max (or min) of each contiguous row of n; the first NaN wins, like NumPy. */
export function arg_reduce(start: i32, end: i32, tid: i32, x: usize, out: usize, n: i32, op: i32): void {
  for (let row = start; row < end; row++) {
    const p = at(x, row * n);
    let best = load<f32>(p);
    let index = 0;
    for (let i = 1; i < n && best == best; i++) {
      const v = load<f32>(at(p, i));
      if ((op == ARGMIN ? v < best : v > best) || v != v) {
        best = v;
        index = i;
      }
    }
    store<i32>(at(out, row), index);
  }
}

/** Sum of e^(x[i] - shift) over a row, in a fixed order; the terms go to `terms` unless it is 0. */
@inline function sumExp(x: usize, n: i32, shift: f32, terms: usize): f32 {
  const s = splat4(shift);
  let acc = splat4(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = vexp(f32x4.sub(v128.load(at(x, i)), s));
    if (terms) v128.store(at(terms, i), e);
    acc = f32x4.add(acc, e);
  }
  let sum = splat4(horizontal(SUM, acc));
  for (; i < n; i++) {
    const e = vexp(f32x4.sub(splat4(load<f32>(at(x, i))), s));
    if (terms) store<f32>(at(terms, i), f32x4.extract_lane(e, 0));
    sum = f32x4.add(sum, e);
  }
  return f32x4.extract_lane(sum, 0);
}

/** sum(a[i] * (b[i] - shift)) over a row, in a fixed order. */
@inline function dotShifted(a: usize, b: usize, n: i32, shift: f32): f32 {
  const s = splat4(shift);
  let acc = splat4(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = fma(v128.load(at(a, i)), f32x4.sub(v128.load(at(b, i)), s), acc);
  let sum = splat4(horizontal(SUM, acc));
  for (; i < n; i++) sum = fma(splat4(load<f32>(at(a, i))), f32x4.sub(splat4(load<f32>(at(b, i))), s), sum);
  return f32x4.extract_lane(sum, 0);
}

/** out[i] = (x[i] - s) - t over a row. */
@inline function shiftRow(out: usize, x: usize, s: f32, t: f32, n: i32): void {
  const sv = splat4(s), tv = splat4(t);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(out, i), f32x4.sub(f32x4.sub(v128.load(at(x, i)), sv), tv));
  for (; i < n; i++) store<f32>(at(out, i), (load<f32>(at(x, i)) - s) - t);
}

/** p[i] = p[i] / d - labels[i] over a row; no label term when `labels` is 0. */
@inline function normalizeRow(p: usize, d: f32, labels: usize, n: i32): void {
  const dv = splat4(d);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = f32x4.div(v128.load(at(p, i)), dv);
    v128.store(at(p, i), labels ? f32x4.sub(q, v128.load(at(labels, i))) : q);
  }
  for (; i < n; i++) {
    const q = load<f32>(at(p, i)) / d;
    store<f32>(at(p, i), labels ? q - load<f32>(at(labels, i)) : q);
  }
}

/** Softmax (or, with `log` set, log-softmax) of each contiguous row of n; a unit is a row. */
export function softmax_rows(start: i32, end: i32, tid: i32, x: usize, out: usize, n: i32, log: i32): void {
  for (let row = start; row < end; row++) {
    const px = at(x, row * n), po = at(out, row * n);
    const max = reduceContiguous(MAX, px, n);
    if (log) {
      // Keras: x - max - log(sum(exp(x - max))).
      shiftRow(po, px, max, Mathf.log(sumExp(px, n, max, 0)), n);
    } else {
      normalizeRow(po, sumExp(px, n, max, po), 0, n);
    }
  }
}

/** dx = y * (dy - sum(dy * y)) on each contiguous row of n. */
export function softmax_grad_rows(start: i32, end: i32, tid: i32, y: usize, dy: usize, dx: usize, n: i32): void {
  for (let row = start; row < end; row++) {
    const py = at(y, row * n), pdy = at(dy, row * n), pdx = at(dx, row * n);
    const dot = dotShifted(py, pdy, n, 0);
    let i = 0;
    const dv = splat4(dot);
    for (; i + 4 <= n; i += 4) v128.store(at(pdx, i), f32x4.mul(v128.load(at(py, i)), f32x4.sub(v128.load(at(pdy, i)), dv)));
    for (; i < n; i++) store<f32>(at(pdx, i), load<f32>(at(py, i)) * (load<f32>(at(pdy, i)) - dot));
  }
}

/**
 * Softmax cross-entropy per row of n logits: loss = -sum(labels * logSoftmax(logits)) and,
 * unless `dlogits` is 0, dlogits = softmax - labels. Labels are n floats per row, or with `sparse`
 * one int32 class per row; an out-of-range class gives a NaN loss and no one-hot term.
 */
export function softmax_xent_rows(
  start: i32, end: i32, tid: i32, logits: usize, labels: usize, sparse: i32, loss: usize, dlogits: usize, n: i32,
): void {
  for (let row = start; row < end; row++) {
    const px = at(logits, row * n);
    const pd = dlogits ? at(dlogits, row * n) : 0;
    const max = reduceContiguous(MAX, px, n);
    const sum = sumExp(px, n, max, pd);
    const lse = max + Mathf.log(sum);
    if (sparse) {
      const c = load<i32>(at(labels, row));
      const valid = c >= 0 && c < n;
      store<f32>(at(loss, row), valid ? lse - load<f32>(at(px, c)) : NaN);
      if (pd) {
        normalizeRow(pd, sum, 0, n);
        if (valid) store<f32>(at(pd, c), load<f32>(at(pd, c)) - 1);
      }
    } else {
      const pl = at(labels, row * n);
      store<f32>(at(loss, row), -dotShifted(pl, px, n, lse));
      if (pd) normalizeRow(pd, sum, pl, n);
    }
  }
}

/** out[i] = the sum over units b < n, in order, of partial[b · size + i] (the per-image or per-group partial sums of split convolution gradients); units are blocks of 4 floats. */
export function sum_partials(start: i32, end: i32, tid: i32, partial: usize, out: usize, n: i32, size: i32): void {
  const stride = <usize>size << 2;
  for (let u = start; u < end; u++) {
    const o = <usize>u << 4;
    if ((u << 2) + 4 <= size) {
      let s = v128.load(partial + o);
      for (let b = 1; b < n; b++) s = f32x4.add(s, v128.load(partial + <usize>b * stride + o));
      v128.store(out + o, s);
    } else {
      for (let i = u << 2; i < size; i++) {
        let s = load<f32>(partial + (<usize>i << 2));
        for (let b = 1; b < n; b++) s += load<f32>(partial + <usize>b * stride + (<usize>i << 2));
        store<f32>(out + (<usize>i << 2), s);
      }
    }
  }
}
