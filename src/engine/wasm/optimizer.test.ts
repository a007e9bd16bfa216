import test from 'node:test';
import { Tensor } from '../../backend/tensor.js';
import { add, divide, multiply, sqrt, square, subtract } from '../../ops/numpy.js';
import { assertSameBits } from '../../testing/assert_close.js';
import { onAllEngines } from '../../testing/engines.js';
import { randomF32 } from '../../testing/random.js';
import type { AdamParams, Kernels } from '../kernels.js';

const P: AdamParams = { alpha: Math.fround(0.001 * Math.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3)), beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

function adamOn(k: Kernels, n: number): Float32Array[] {
  const [w, g, m] = [1, 2, 3].map((seed) => randomF32(n, seed));
  const v = randomF32(n, 4, 0, 1);
  const out = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  k.adamUpdate(w, g, m, v, out[0], out[1], out[2], P);
  return out;
}

test('adamUpdate: WASM equals the reference bit for bit, on 1 and 2 threads, odd and large sizes', async () => {
  for (const n of [1, 7, 4099, 300_001]) {
    await onAllEngines((k) => adamOn(k, n), (ref, one, two) => {
      ['w', 'm', 'v'].forEach((name, i) => {
        assertSameBits(one[i], ref[i], `${name} (n=${n}, wasm vs reference)`);
        assertSameBits(two[i], one[i], `${name} (n=${n}, 2 vs 1 threads)`);
      });
    });
  }
});

test('adamUpdate equals Adam composed from elementwise ops (adam.py\'s order), bit for bit', async () => {
  const n = 1001;
  await onAllEngines((k) => adamOn(k, n), (ref) => {
    const t = (seed: number, lo = -1, hi = 1) => new Tensor(randomF32(n, seed, lo, hi), [n], 'float32');
    const [w, g, m, v] = [t(1), t(2), t(3), t(4, 0, 1)];
    const m2 = add(m, multiply(subtract(g, m), 1 - P.beta1));
    const v2 = add(v, multiply(subtract(square(g), v), 1 - P.beta2));
    const w2 = subtract(w, divide(multiply(m2, P.alpha), add(sqrt(v2), P.epsilon)));
    assertSameBits(ref[1], m2.values as Float32Array, 'momentum');
    assertSameBits(ref[2], v2.values as Float32Array, 'velocity');
    assertSameBits(ref[0], w2.values as Float32Array, 'weight');
  });
});
