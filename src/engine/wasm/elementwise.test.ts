import assert from 'node:assert/strict';
import test from 'node:test';
import type { BinaryOp, Kernels, UnaryOp } from '../kernels.js';
import { UNARY, erfc } from '../reference/elementwise.js';
import { assertClose, assertSameBits, type Tolerance } from '../../testing/assert_close.js';
import { onAllEngines, reference, wasmEngine } from '../../testing/engines.js';
import { randomF32, randomInt, rng } from '../../testing/random.js';

const UNARY_OPS = Object.keys(UNARY) as UnaryOp[];
const BINARY_OPS: BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow',
  'equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal',
];
const ALPHA = { alpha: 0.3 };
/** Ops whose domain is x >= 0 (or > -1): tested on positive inputs too. */
const POSITIVE = new Set<UnaryOp>(['sqrt', 'rsqrt', 'log', 'log1p']);

/**
 * WASM vs float64 reference, per op. Single-operation ops are correctly rounded in both engines;
 * those evaluated as a few float32 steps, as Keras does (rsqrt, softsign, hard_*), within 1-2 ulps. The
 * polynomial exp/log (assembly/math.ts) are within ~2e-7 relative, and functions built on them
 * within a few of those; gelu's erfc is the loosest (Chebyshev fit, 1.2e-7 in exact arithmetic,
 * plus float32 evaluation). gelu_approximate's tail is x sigmoid(2u) with u ~ 0.036 x^3 rounded
 * to float32, whose relative error grows like |2u| eps (past 1e-5 only where results are < 1e-30).
 * atol covers results that underflow to (sub)normals near 1e-38.
 */
const UNARY_TOL: Partial<Record<UnaryOp, Tolerance>> = {
  exp: { rtol: 3e-7, atol: 1e-37 }, expm1: { rtol: 5e-7, atol: 1e-37 },
  log: { rtol: 3e-7, atol: 0 }, log1p: { rtol: 4e-7, atol: 0 },
  sin: { rtol: 2e-7, atol: 0 }, cos: { rtol: 2e-7, atol: 0 },
  sigmoid: { rtol: 5e-7, atol: 1e-37 }, tanh: { rtol: 6e-7, atol: 0 },
  elu: { rtol: 5e-7, atol: 0 }, selu: { rtol: 5e-7, atol: 0 },
  gelu: { rtol: 3e-6, atol: 1e-37 }, gelu_approximate: { rtol: 3e-5, atol: 1e-37 },
  silu: { rtol: 5e-7, atol: 1e-37 }, softplus: { rtol: 5e-7, atol: 1e-37 },
  rsqrt: { rtol: 1.2e-7, atol: 0 }, softsign: { rtol: 1.2e-7, atol: 0 },
  hard_sigmoid: { rtol: 1.2e-7, atol: 0 }, hard_silu: { rtol: 2.5e-7, atol: 0 },
};
const EXACT: Tolerance = { rtol: 0, atol: 0 };

/**
 * Gradients reuse the forward's functions, so they share its accuracy, a little loosened. Some
 * are sums of terms of size ~|dy| <= 2 that cancel where f' crosses 0 (gelu near -0.75, silu near
 * -1.28): atol allows float32 rounding of those terms.
 */
function gradTolerance(op: UnaryOp): Tolerance {
  return { rtol: 3 * (UNARY_TOL[op]?.rtol ?? 2e-7), atol: 5e-7 };
}

/** Wide-range test inputs: special values, then uniform values, then magnitudes from 1e-30 to 1e30. */
function unaryInputs(n: number, seed: number, positive: boolean): Float32Array {
  const special = [0, -0, 1, -1, 0.5, -0.5, 2.5, -2.5, 3, -3, 6, 1e-40, -1e-40, 88.7, 89, -87, -104, 100, -100,
    Infinity, -Infinity, NaN];
  const r = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (i < special.length) x[i] = special[i];
    else if (i % 2) x[i] = -12 + 24 * r();
    else x[i] = (r() < 0.5 ? -1 : 1) * Math.exp(-69 + 138 * r());
    if (positive && i >= special.length) x[i] = Math.abs(x[i]);
  }
  return x;
}

/** Runs `body` on every engine: WASM close to the reference, and WASM at 1 and 2 threads bit-identical. */
async function checkEngines(label: string, tol: Tolerance, body: (k: Kernels) => Float32Array | Int32Array): Promise<void> {
  await onAllEngines(body, (ref, one, two) => {
    assertClose(one, ref, tol, `${label} (wasm vs reference)`);
    assertSameBits(two, one, `${label} (2 threads vs 1)`);
  });
}

test('reference unary: hand-computed values', () => {
  const cases: [UnaryOp, number, number][] = [
    ['gelu', 1, 0.8413447460685429], ['gelu', -1, -0.15865525393145707],
    ['gelu_approximate', 1, 0.8411919906082768], ['selu', -1, -1.1113307378125625], ['selu', 2, 2.101401974710961],
    ['elu', -1, 0.3 * (Math.exp(-1) - 1)], ['leaky_relu', -2, -0.6], ['softplus', 100, 100],
    ['softplus', 0, Math.LN2], ['softplus', -100, 3.720075976020836e-44], ['sigmoid', -100, 3.720075976020836e-44],
    ['sigmoid', 100, 1], ['hard_sigmoid', 1, 4 / 6], ['hard_sigmoid', -4, 0], ['hard_silu', -1, -2 / 6],
    ['relu6', 7, 6], ['round', 2.5, 2], ['round', -2.5, -2], ['round', 1.5, 2], ['round', -0.5, -0],
    ['sign', -3, -1], ['sign', 0, 0], ['softsign', 3, 0.75], ['silu', 1, 0.7310585786300049], ['rsqrt', 4, 0.5],
  ];
  for (const [op, x, want] of cases) {
    const out = new Float32Array(1);
    reference.unary(op, new Float32Array([x]), out, ALPHA);
    assertClose(out, [Math.fround(want)], { rtol: 1e-7, atol: 0 }, `${op}(${x})`);
  }
  // The reference erfc itself, against tabulated values.
  assertClose([erfc(0.5), erfc(3), erfc(5), erfc(-2)], [0.4795001221869535, 2.209049699858544e-5,
    1.5374597944280349e-12, 1.9953222650189528], { rtol: 1e-13, atol: 0 }, 'erfc');
});

test('unary: every op, wasm vs reference, 1 vs 2 threads', async () => {
  for (const op of UNARY_OPS) {
    // Odd, and enough work (>= 1 MFLOP even at 2 flops an element) for the 2-thread engine to split.
    const n = 600_001;
    const x = unaryInputs(n, 7, POSITIVE.has(op));
    await checkEngines(`unary ${op}`, UNARY_TOL[op] ?? EXACT, (k) => {
      const out = new Float32Array(n);
      k.unary(op, x, out, ALPHA);
      return out;
    });
  }
});

test('unary and unaryGrad: the plain-SIMD build (no fused multiply-add) is as accurate', async () => {
  const plain = await wasmEngine(1, true);
  const n = 4001;
  for (const op of UNARY_OPS) {
    const x = unaryInputs(n, 13, POSITIVE.has(op));
    const [want, got] = [reference, plain].map((k) => {
      const out = new Float32Array(n);
      k.unary(op, x, out, ALPHA);
      return out;
    });
    assertClose(got, want, UNARY_TOL[op] ?? EXACT, `plain SIMD ${op}`);
    const dx = [reference, plain].map((k) => {
      const g = new Float32Array(n);
      k.unaryGrad(op, x, want, new Float32Array(n).fill(1), g, ALPHA);
      return g;
    });
    assertClose(dx[1], dx[0], gradTolerance(op), `plain SIMD d${op}`);
  }
});

test('unary: small and empty sizes (vector tails)', async () => {
  for (const n of [0, 1, 3, 5, 7]) {
    const x = randomF32(n, n, -5, 5);
    await checkEngines(`tanh n=${n}`, UNARY_TOL.tanh!, (k) => {
      const out = new Float32Array(n);
      k.unary('tanh', x, out, ALPHA);
      return out;
    });
  }
});

test('unaryGrad: every op, wasm vs reference, 1 vs 2 threads', async () => {
  for (const op of UNARY_OPS) {
    const n = 600_001;
    const x = unaryInputs(n, 11, POSITIVE.has(op));
    const y = new Float32Array(n);
    reference.unary(op, x, y, ALPHA);
    // |dy| >= 1: where f'(x) overflows (or underflows) in float32 the result then does too, as in float64.
    const dy = randomF32(n, 12, 1, 2).map((v, i) => (i % 2 ? v : -v));
    await checkEngines(`unaryGrad ${op}`, gradTolerance(op), (k) => {
      const dx = new Float32Array(n);
      k.unaryGrad(op, x, y, dy, dx, ALPHA);
      return dx;
    });
  }
});

test('reference unaryGrad matches finite differences of the forward', () => {
  const r = rng(5);
  for (const op of UNARY_OPS) {
    const xs: number[] = [];
    while (xs.length < 200) {
      const v = Math.fround(POSITIVE.has(op) ? 0.1 + 7 * r() : -7 + 14 * r());
      // Stay clear of kinks and jumps: all of them sit on multiples of 0.5.
      if (Math.abs(v * 2 - Math.round(v * 2)) > 2e-3) xs.push(v);
    }
    const x = new Float32Array(xs);
    const y = new Float32Array(x.length);
    reference.unary(op, x, y, ALPHA);
    const dx = new Float32Array(x.length);
    reference.unaryGrad(op, x, y, new Float32Array(x.length).fill(1), dx, ALPHA);
    const h = 1e-5;
    const f = UNARY[op];
    const numeric = xs.map((v) => (f(v + h, ALPHA.alpha) - f(v - h, ALPHA.alpha)) / (2 * h));
    // y is float32, so derivatives written in terms of y (sigmoid, tanh, ...) carry its rounding.
    assertClose(dx, numeric, { rtol: 1e-4, atol: 1e-5 }, `d${op}/dx`);
  }
});

/** A random output shape of rank 0..5 and two operand shapes that broadcast to it. */
function broadcastShapes(r: () => number): [number[], number[], number[]] {
  const rank = randomInt(r, 0, 5);
  const out = Array.from({ length: rank }, () => (r() < 0.25 ? 1 : randomInt(r, 2, 7)));
  const operand = () => out.map((d) => (r() < 0.4 ? 1 : d));
  return [operand(), operand(), out];
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Half-step values, so comparisons see ties and pow sees integer exponents. */
function steppedF32(n: number, seed: number): Float32Array {
  return randomF32(n, seed, -4, 4).map((v) => Math.round(v * 2) / 2);
}

test('binary: every op on random broadcast shapes', async () => {
  const r = rng(21);
  for (let t = 0; t < 40; t++) {
    const [aShape, bShape, outShape] = broadcastShapes(r);
    const a = t % 2 ? steppedF32(size(aShape), t) : randomF32(size(aShape), t, -3, 3);
    const b = t % 2 ? steppedF32(size(bShape), t + 100) : randomF32(size(bShape), t + 100, -3, 3);
    for (const op of BINARY_OPS) {
      await checkEngines(`${op} ${aShape} ${bShape}`, op === 'pow' ? { rtol: 1.2e-7, atol: 0 } : EXACT, (k) => {
        const out = new Float32Array(size(outShape));
        k.binary(op, a, aShape, b, bShape, out, outShape);
        return out;
      });
    }
  }
});

test('binary: large equal, scalar, row and column broadcasts split across threads', async () => {
  const cases: [number[], number[], number[]][] = [
    [[3, 200_201], [3, 200_201], [3, 200_201]],
    [[600_601], [1], [600_601]],
    [[1], [600_601], [600_601]],
    [[601, 1001], [1, 1001], [601, 1001]],
    [[601, 1001], [601, 1], [601, 1001]],
    [[2, 1, 300, 1001], [1, 2, 300, 1], [2, 2, 300, 1001]],
  ];
  for (const [aShape, bShape, outShape] of cases) {
    const a = randomF32(size(aShape), 1, -3, 3);
    const b = randomF32(size(bShape), 2, -3, 3);
    for (const op of ['add', 'mul', 'div', 'greater'] as BinaryOp[]) {
      await checkEngines(`${op} ${aShape} ${bShape}`, EXACT, (k) => {
        const out = new Float32Array(size(outShape));
        k.binary(op, a, aShape, b, bShape, out, outShape);
        return out;
      });
    }
  }
});

test('binary: NaN, infinities and NumPy edge cases', async () => {
  const a = new Float32Array([NaN, 1, NaN, Infinity, -Infinity, 0, -0, 1, -1, 0, 2, -8]);
  const b = new Float32Array([1, NaN, NaN, Infinity, Infinity, -0, 0, NaN, Infinity, 0, -Infinity, 1 / 3]);
  for (const op of BINARY_OPS) {
    await checkEngines(op, EXACT, (k) => {
      const out = new Float32Array(a.length);
      k.binary(op, a, [a.length], b, [b.length], out, [a.length]);
      return out;
    });
  }
  const pow = new Float32Array(3);
  reference.binary('pow', new Float32Array([1, -1, 0]), [3], new Float32Array([NaN, Infinity, 0]), [3], pow, [3]);
  assert.deepEqual([...pow], [1, 1, 1]); // C's powf, as NumPy gives
});

/** A random permutation of 0..n-1. */
function permutation(n: number, r: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(r, 0, i);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

test('transpose: random ranks 0-5 and permutations, and large 2-D and 4-D cases', async () => {
  const r = rng(33);
  const cases: [number[], number[]][] = [[[1000, 1201], [1, 0]], [[8, 30, 31, 170], [0, 3, 1, 2]], [[5, 1], [1, 0]]];
  for (let t = 0; t < 60; t++) {
    const shape = Array.from({ length: randomInt(r, 0, 5) }, () => (r() < 0.2 ? 1 : randomInt(r, 2, 6)));
    cases.push([shape, permutation(shape.length, r)]);
  }
  for (const [shape, perm] of cases) {
    const x = randomF32(size(shape), 3);
    await checkEngines(`transpose ${shape} by ${perm}`, EXACT, (k) => {
      const out = new Float32Array(size(shape));
      k.transpose(x, shape, perm, out);
      return out;
    });
  }
  const out = new Float32Array(6);
  reference.transpose(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0], out);
  assert.deepEqual([...out], [1, 4, 2, 5, 3, 6]);
});
