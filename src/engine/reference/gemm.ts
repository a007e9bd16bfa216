/** Reference GEMM: the triple loop, accumulated in float64. */
import type { F32, GemmKernels, MatmulParams } from '../kernels.js';

export const referenceGemm: GemmKernels = {
  /** out[b] = op(A[b]) @ op(B[b]), see MatmulParams. */
  matmul(a: F32, b: F32, out: F32, p: MatmulParams): void {
    const { m, n, k } = p;
    // Element (row, col) of op(A) and op(B) as flat offsets inside one batch matrix.
    const aAt = p.transA ? (r: number, c: number) => c * m + r : (r: number, c: number) => r * k + c;
    const bAt = p.transB ? (r: number, c: number) => c * k + r : (r: number, c: number) => r * n + c;
    for (let t = 0; t < p.batch; t++) {
      const a0 = t * p.strideA;
      const b0 = t * p.strideB;
      const o0 = t * m * n;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let l = 0; l < k; l++) s += a[a0 + aAt(i, l)] * b[b0 + bAt(l, j)];
          out[o0 + i * n + j] = s;
        }
      }
    }
  },
};
