/**
 * WASM reductions and softmax family (assembly/reduction.ts). A reduction over any set of axes is
 * planned as a few passes of one kernel that reduces the middle of an m×r×k view; the row kernels
 * (softmax, arg-reductions) work along a contiguous axis, and a strided axis is transposed to the
 * end and back.
 */
import type { AxisParams, ReduceOp, ReductionKernels } from '../kernels.js';
import { transposeAt } from './elementwise.js';
import { COPY_FLOPS } from './gemm.js';
import type { WasmRuntime } from './runtime.js';

/** Combine codes of assembly/reduction.ts; mean sums, then divides in the last pass. */
const COMBINE: Record<ReduceOp, number> = { sum: 0, mean: 0, max: 1, min: 2, prod: 3 };
const ARG_OPS = { argmax: 0, argmin: 1 };
/** Flops per element of a softmax-like row pass (an exp and a few arithmetic ops). */
const ROW_FLOPS = 30;

/**
 * out[i] = the sum over units u < `units`, in order, of partial[u · size + i] (engine addresses):
 * the partial sums of kernels split into fixed units (convolution gradients by image or tile
 * group), added the same way for any thread count. Inside an `rt.call`.
 */
export function sumPartials(rt: WasmRuntime, partial: number, units: number, size: number, out: number): void {
  rt.parallel('sum_partials', Math.ceil(size / 4), [partial, out, units, size], COPY_FLOPS * units * size);
}

/** One pass: x viewed as m×r×k reduced over r. */
interface Pass {
  m: number;
  r: number;
  k: number;
}

/**
 * Plans a reduction as passes over m×r×k views, innermost reduced group first. Size-1
 * dimensions are dropped and neighbours of the same kind merged, so summing [N, C] over N, a
 * global pool [N, H, W, C] over [1, 2], or any trailing reduction is a single pass.
 */
function planReduce(shape: readonly number[], axes: readonly number[]): Pass[] {
  const groups: { size: number; reduced: boolean }[] = [];
  shape.forEach((size, d) => {
    if (size === 1) return;
    const reduced = axes.includes(d);
    const prev = groups[groups.length - 1];
    if (prev && prev.reduced === reduced) prev.size *= size;
    else groups.push({ size, reduced });
  });
  const passes: Pass[] = [];
  const product = (from: number, to: number) => groups.slice(from, to).reduce((n, x) => n * x.size, 1);
  for (;;) {
    const g = groups.map((x) => x.reduced).lastIndexOf(true);
    if (g < 0) break;
    const pass = { m: product(0, g), r: groups[g].size, k: product(g + 1, groups.length) };
    passes.push(pass);
    // What is left is groups[0, g) followed by the k kept elements, which join a kept neighbour.
    groups.splice(g);
    const prev = groups[groups.length - 1];
    if (prev && !prev.reduced) prev.size *= pass.k;
    else groups.push({ size: pass.k, reduced: false });
  }
  return passes.length > 0 ? passes : [{ m: shape.reduce((a, b) => a * b, 1), r: 1, k: 1 }];
}

/** The reduction and softmax kernels bound to one engine runtime. */
export function reductionKernels(rt: WasmRuntime): ReductionKernels {
  /**
   * Runs a row kernel `name(start, end, tid, ...inputs, ...outputs, n, ...extra)` over the lanes
   * of an outer×axis×inner view. With inner > 1 the inputs are transposed to put the axis last,
   * and `axisOutputs` (outputs laid out like the inputs) transposed back afterwards.
   */
  function alongAxis(
    name: string, inPtrs: number[], outPtrs: number[], axisOutputs: number, p: AxisParams, extra: number[],
  ): void {
    const rows = p.outer * p.inner;
    const flops = rows * p.axis * ROW_FLOPS;
    if (p.inner === 1) {
      rt.parallel(name, rows, [...inPtrs, ...outPtrs, p.axis, ...extra], flops);
      return;
    }
    const size = rows * p.axis;
    const toLast = (ptr: number) => {
      const t = rt.alloc(4 * size);
      transposeAt(rt, ptr, [p.outer, p.axis, p.inner], [0, 2, 1], t);
      return t;
    };
    const moved = outPtrs.map((ptr, i) => (i < axisOutputs ? rt.alloc(4 * size) : ptr));
    rt.parallel(name, rows, [...inPtrs.map(toLast), ...moved, p.axis, ...extra], flops);
    moved.slice(0, axisOutputs).forEach((t, i) => transposeAt(rt, t, [p.outer, p.inner, p.axis], [0, 2, 1], outPtrs[i]));
  }

  return {
    reduce(op, x, shape, axes, out) {
      if (out.length === 0) return;
      const count = axes.reduce((n, d) => n * shape[d], 1);
      // An empty reduced axis: every output is the identity (NaN for a mean, as 0 / 0).
      const passes = x.length === 0 ? [{ m: out.length, r: 0, k: 1 }] : planReduce(shape, axes);
      rt.call([x], [out], ([px], [po]) => {
        let src = px;
        passes.forEach((pass, i) => {
          const last = i === passes.length - 1;
          const dst = last ? po : rt.alloc(4 * pass.m * pass.k);
          const divisor = last && op === 'mean' ? count : 1;
          rt.parallel('reduce', pass.m * pass.k, [COMBINE[op], src, dst, pass.r, pass.k, divisor], pass.m * pass.r * pass.k);
          src = dst;
        });
      });
    },

    argReduce(op, x, out, p) {
      if (out.length === 0) return;
      rt.call([x], [out], ([px], [po]) => alongAxis('arg_reduce', [px], [po], 0, p, [ARG_OPS[op]]));
    },

    softmax(x, out, p) {
      if (out.length === 0) return;
      rt.call([x], [out], ([px], [po]) => alongAxis('softmax_rows', [px], [po], 1, p, [0]));
    },

    logSoftmax(x, out, p) {
      if (out.length === 0) return;
      rt.call([x], [out], ([px], [po]) => alongAxis('softmax_rows', [px], [po], 1, p, [1]));
    },

    softmaxGrad(y, dy, dx, p) {
      if (dx.length === 0) return;
      rt.call([y, dy], [dx], ([py, pdy], [pdx]) => alongAxis('softmax_grad_rows', [py, pdy], [pdx], 1, p, []));
    },

    softmaxCrossEntropy(logits, labels, loss, dlogits, rows, classes) {
      rt.call([logits, labels], [loss, dlogits], ([pl, py], [ploss, pd]) => {
        rt.parallel('softmax_xent_rows', rows, [pl, py, 0, ploss, pd, classes], rows * classes * ROW_FLOPS);
      });
    },

    sparseSoftmaxCrossEntropy(logits, labels, loss, dlogits, rows, classes) {
      rt.call([logits, labels], [loss, dlogits], ([pl, py], [ploss, pd]) => {
        rt.parallel('softmax_xent_rows', rows, [pl, py, 1, ploss, pd, classes], rows * classes * ROW_FLOPS);
      });
    },
  };
}
