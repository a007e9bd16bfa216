/**
 * Reference reductions and softmax family: float64 accumulation in index order, rounded once on
 * store. Formulas follow Keras 3 (keras/src/backend/numpy/nn.py: softmax, log_softmax).
 */
import type { AxisParams, F32, ReduceOp, ReductionKernels } from '../kernels.js';

const COMBINE: Record<ReduceOp, { init: number; f: (acc: number, v: number) => number }> = {
  sum: { init: 0, f: (a, v) => a + v },
  mean: { init: 0, f: (a, v) => a + v },
  max: { init: -Infinity, f: Math.max },
  min: { init: Infinity, f: Math.min },
  prod: { init: 1, f: (a, v) => a * v },
};

/** The values along the axis at (o, i) of an outer×axis×inner view. */
function lane(x: ArrayLike<number>, p: AxisParams, o: number, i: number): number[] {
  return Array.from({ length: p.axis }, (_, a) => x[(o * p.axis + a) * p.inner + i]);
}

/** Calls `f(o, i, at)` for each lane of the view; at(a) is the flat index of element a. */
function forEachLane(p: AxisParams, f: (o: number, i: number, at: (a: number) => number) => void): void {
  for (let o = 0; o < p.outer; o++) {
    for (let i = 0; i < p.inner; i++) f(o, i, (a) => (o * p.axis + a) * p.inner + i);
  }
}

/** log(sum(exp(v))) with the max subtracted first, so large logits stay finite. */
function logSumExp(v: readonly number[]): number {
  const max = Math.max(...v);
  return max + Math.log(v.reduce((s, x) => s + Math.exp(x - max), 0));
}

/** Cross-entropy of one row of logits against a label distribution; writes softmax - labels. */
function crossEntropyRow(logits: readonly number[], labels: readonly number[], dlogits: F32 | null, offset: number): number {
  const lse = logSumExp(logits);
  if (dlogits) logits.forEach((x, c) => (dlogits[offset + c] = Math.exp(x - lse) - labels[c]));
  return -logits.reduce((s, x, c) => s + labels[c] * (x - lse), 0);
}

/** The reductions and softmax family as plain loops: the definition the WASM engine is tested against. */
export const referenceReduction: ReductionKernels = {
  reduce(op, x, shape, axes, out) {
    const { init, f } = COMBINE[op];
    const kept = shape.map((_, d) => !axes.includes(d));
    const acc = new Float64Array(out.length).fill(init);
    let count = 1;
    axes.forEach((d) => (count *= shape[d]));
    for (let i = 0; i < x.length; i++) {
      // Output index: the kept coordinates of i, in order.
      let o = 0;
      for (let d = 0, rest = i, scale = x.length; d < shape.length; d++) {
        scale /= shape[d];
        const idx = Math.floor(rest / scale);
        rest -= idx * scale;
        if (kept[d]) o = o * shape[d] + idx;
      }
      acc[o] = f(acc[o], x[i]);
    }
    for (let o = 0; o < out.length; o++) out[o] = op === 'mean' ? acc[o] / count : acc[o];
  },

  argReduce(op, x, out, p) {
    forEachLane(p, (o, i) => {
      const v = lane(x, p, o, i);
      let best = 0;
      for (let a = 1; a < v.length && !Number.isNaN(v[best]); a++) {
        if (Number.isNaN(v[a]) || (op === 'argmax' ? v[a] > v[best] : v[a] < v[best])) best = a;
      }
      out[o * p.inner + i] = best;
    });
  },

  softmax(x, out, p) {
    forEachLane(p, (o, i, at) => {
      const v = lane(x, p, o, i);
      const max = Math.max(...v);
      const e = v.map((t) => Math.exp(t - max));
      const sum = e.reduce((s, t) => s + t, 0);
      e.forEach((t, a) => (out[at(a)] = t / sum));
    });
  },

  logSoftmax(x, out, p) {
    forEachLane(p, (o, i, at) => {
      const v = lane(x, p, o, i);
      const lse = logSumExp(v);
      v.forEach((t, a) => (out[at(a)] = t - lse));
    });
  },

  softmaxGrad(y, dy, dx, p) {
    forEachLane(p, (o, i, at) => {
      const yv = lane(y, p, o, i);
      const dyv = lane(dy, p, o, i);
      const dot = yv.reduce((s, t, a) => s + t * dyv[a], 0);
      yv.forEach((t, a) => (dx[at(a)] = t * (dyv[a] - dot)));
    });
  },

  softmaxCrossEntropy(logits, labels, loss, dlogits, rows, classes) {
    const row = (a: F32, r: number) => Array.from(a.subarray(r * classes, (r + 1) * classes));
    for (let r = 0; r < rows; r++) loss[r] = crossEntropyRow(row(logits, r), row(labels, r), dlogits, r * classes);
  },

  sparseSoftmaxCrossEntropy(logits, labels, loss, dlogits, rows, classes) {
    for (let r = 0; r < rows; r++) {
      const c = labels[r];
      const valid = c >= 0 && c < classes;
      // An out-of-range class has no one-hot row: its loss is NaN and its gradient the softmax.
      const onehot = Array.from({ length: classes }, (_, k) => Number(k === c));
      const l = crossEntropyRow(Array.from(logits.subarray(r * classes, (r + 1) * classes)), onehot, dlogits, r * classes);
      loss[r] = valid ? l : NaN;
    }
  },
};
