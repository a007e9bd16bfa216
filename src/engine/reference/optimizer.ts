/** Reference optimizer updates: one float32-rounded operation at a time, as the ops would do them. */
import type { AdamParams, F32, OptimizerKernels } from '../kernels.js';

const f = Math.fround;

export const referenceOptimizer: OptimizerKernels = {
  adamUpdate(w: F32, g: F32, m: F32, v: F32, wOut: F32, mOut: F32, vOut: F32, p: AdamParams): void {
    const c1 = f(1 - p.beta1);
    const c2 = f(1 - p.beta2);
    const alpha = f(p.alpha);
    const epsilon = f(p.epsilon);
    for (let i = 0; i < w.length; i++) {
      const mi = f(m[i] + f(f(g[i] - m[i]) * c1));
      const vi = f(v[i] + f(f(f(g[i] * g[i]) - v[i]) * c2));
      mOut[i] = mi;
      vOut[i] = vi;
      wOut[i] = f(w[i] - f(f(mi * alpha) / f(f(Math.sqrt(vi)) + epsilon)));
    }
  },
};
