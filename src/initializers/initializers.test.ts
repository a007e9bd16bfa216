/**
 * keras.initializers: fans, the statistics of each random initializer on a large shape against
 * Keras's formulas, seeds, configs, and serialized objects against the Keras reference fixtures.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import type { Tensor } from '../backend/tensor.js';
import { reshape } from '../ops/core.js';
import { matmul, transpose } from '../ops/numpy.js';
import { setRandomSeed } from '../random/seed_generator.js';
import type { SerializedObject } from '../saving/serialization_lib.js';
import { assertClose } from '../testing/assert_close.js';
import * as initializers from './index.js';
import { referenceDir } from '../testing/keras_reference.js';

const { computeFans } = initializers;

test('computeFans follows Keras for scalars, vectors, dense and conv kernels, and explicit axes', () => {
  assert.deepEqual(computeFans([]), [1, 1]);
  assert.deepEqual(computeFans([7]), [7, 7]);
  assert.deepEqual(computeFans([784, 10]), [784, 10]);
  assert.deepEqual(computeFans([3, 3, 16, 32]), [3 * 3 * 16, 3 * 3 * 32]);
  assert.deepEqual(computeFans([5, 4, 4, 2, 8]), [5 * 4 * 4 * 2, 5 * 4 * 4 * 8]);
  assert.deepEqual(computeFans([4, 6, 10], [0, 1], [2]), [24, 10]);
  assert.deepEqual(computeFans([4, 6, 10], [0], null), [24, 40]); // both axes lists are needed
});

interface Stats { mean: number; std: number; min: number; max: number }

function stats(t: Tensor): Stats {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.values) {
    s += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / t.size;
  let ss = 0;
  for (const v of t.values) ss += (v - mean) ** 2;
  return { mean, std: Math.sqrt(ss / t.size), min, max };
}

/** Standard deviation of a unit normal truncated to [-2, 2]. */
const TRUNC = 0.87962566103423978;
const SHAPE = [200, 300]; // fan_in 200, fan_out 300, fan_avg 250
const N = SHAPE[0] * SHAPE[1];

/** name -> [initializer, expected mean, expected std, bound on |x - mean| (or null for a normal)]. */
const DISTRIBUTIONS: Record<string, [initializers.Initializer, number, number, number | null]> = {
  RandomUniform: [new initializers.RandomUniform(), 0, 0.05 / Math.sqrt(3), 0.05],
  RandomUniformRange: [new initializers.RandomUniform({ minval: 1, maxval: 3 }), 2, 2 / Math.sqrt(12), 1],
  RandomNormal: [new initializers.RandomNormal(), 0, 0.05, null],
  RandomNormalShifted: [new initializers.RandomNormal({ mean: 3, stddev: 2 }), 3, 2, null],
  TruncatedNormal: [new initializers.TruncatedNormal(), 0, 0.05 * TRUNC, 0.1],
  GlorotUniform: [new initializers.GlorotUniform(), 0, Math.sqrt(1 / 250), Math.sqrt(3 / 250)],
  GlorotNormal: [new initializers.GlorotNormal(), 0, Math.sqrt(1 / 250), (2 * Math.sqrt(1 / 250)) / TRUNC],
  HeUniform: [new initializers.HeUniform(), 0, Math.sqrt(2 / 200), Math.sqrt(6 / 200)],
  HeNormal: [new initializers.HeNormal(), 0, Math.sqrt(2 / 200), (2 * Math.sqrt(2 / 200)) / TRUNC],
  LecunUniform: [new initializers.LecunUniform(), 0, Math.sqrt(1 / 200), Math.sqrt(3 / 200)],
  LecunNormal: [new initializers.LecunNormal(), 0, Math.sqrt(1 / 200), (2 * Math.sqrt(1 / 200)) / TRUNC],
  VarianceScalingFanOut: [
    new initializers.VarianceScaling({ scale: 3, mode: 'fan_out', distribution: 'untruncated_normal' }),
    0, Math.sqrt(3 / 300), null],
  VarianceScalingNormalAlias: [
    new initializers.VarianceScaling({ scale: 0.5, mode: 'fan_avg', distribution: 'normal' }),
    0, Math.sqrt(0.5 / 250), (2 * Math.sqrt(0.5 / 250)) / TRUNC],
};

for (const [name, [init, mean, std, bound]] of Object.entries(DISTRIBUTIONS)) {
  test(`${name} draws with Keras's mean, standard deviation and range`, () => {
    const t = init.call(SHAPE);
    assert.equal(t.dtype, 'float32');
    assert.deepEqual(t.shape, SHAPE);
    const s = stats(t);
    // Four standard errors of the mean; the sample std of 60000 values is within 1.5% w.h.p.
    assert.ok(Math.abs(s.mean - mean) < (4 * std) / Math.sqrt(N), `${name}: mean ${s.mean}, expected ${mean}`);
    assert.ok(Math.abs(s.std / std - 1) < 0.015, `${name}: std ${s.std}, expected ${std}`);
    if (bound !== null) {
      assert.ok(s.min >= mean - bound && s.max <= mean + bound, `${name}: range [${s.min}, ${s.max}] exceeds ${bound}`);
      assert.ok(s.max - s.min > 1.98 * bound, `${name}: range [${s.min}, ${s.max}] does not fill +-${bound}`);
    } else {
      // A normal sample this size reaches past 3.5 standard deviations.
      assert.ok(s.max - mean > 3.5 * std && mean - s.min > 3.5 * std, `${name}: range [${s.min}, ${s.max}] too narrow`);
    }
  });
}

test('VarianceScaling scales by the conv kernel fans', () => {
  // (3, 3, 32, 64): fan_in 288, fan_out 576.
  const heConv = stats(new initializers.HeUniform({ seed: 1 }).call([3, 3, 32, 64]));
  assert.ok(Math.abs(heConv.std / Math.sqrt(2 / 288) - 1) < 0.02, `He conv std ${heConv.std}`);
  const glorotConv = stats(new initializers.GlorotUniform({ seed: 1 }).call([3, 3, 32, 64]));
  assert.ok(glorotConv.max <= Math.sqrt(6 / (288 + 576)) && glorotConv.max > 0.99 * Math.sqrt(6 / (288 + 576)));
});

test('constant initializers', () => {
  assert.deepEqual(new initializers.Zeros().call([2, 2]).toArray(), [[0, 0], [0, 0]]);
  assert.deepEqual(new initializers.Ones().call([3]).toArray(), [1, 1, 1]);
  assert.equal(new initializers.Ones().call([2], 'int32').dtype, 'int32');
  assert.deepEqual(new initializers.Constant({ value: 2.5 }).call([1, 2]).toArray(), [[2.5, 2.5]]);
  assert.deepEqual(new initializers.Constant().call([2]).toArray(), [0, 0]);
  assert.deepEqual(new initializers.Identity({ gain: 2 }).call([2, 3]).toArray(), [[2, 0, 0], [0, 2, 0]]);
  assert.throws(() => new initializers.Identity().call([3]),
    { message: 'Identity matrix initializer can only be used for 2D matrices. Received: shape=(3,) of rank 1.' });
});

test('Orthogonal gives orthonormal rows or columns, times the gain', () => {
  for (const shape of [[40, 40], [50, 20], [20, 50], [3, 3, 4, 10]]) {
    const w = new initializers.Orthogonal({ gain: 2, seed: 7 }).call(shape);
    assert.deepEqual(w.shape, shape);
    const cols = shape[shape.length - 1];
    const rows = w.size / cols;
    // The shorter side's vectors are orthogonal with squared norm gain^2 = 4.
    const m = reshape(w, [rows, cols]);
    const vectors = rows >= cols ? transpose(m) : m;
    const k = Math.min(rows, cols);
    const expected = Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 4 : 0));
    assertClose(matmul(vectors, transpose(vectors)).values, expected, { atol: 1e-4, rtol: 0 }, `Orthogonal ${shape}`);
  }
  assert.throws(() => new initializers.Orthogonal().call([5]),
    { message: 'The tensor to initialize must be at least two-dimensional. Received: shape=(5,) of rank 1.' });
});

test('seeds: one initializer gives the same values on every call, as in Keras 3', () => {
  const values = (init: initializers.Initializer): number[] => Array.from(init.call([4, 5]).values);
  const seeded = new initializers.GlorotUniform({ seed: 42 });
  assert.deepEqual(values(seeded), values(seeded));
  assert.deepEqual(values(seeded), values(new initializers.GlorotUniform({ seed: 42 })));
  assert.notDeepEqual(values(seeded), values(new initializers.GlorotUniform({ seed: 43 })));
  // Without a seed, one is drawn at construction: fixed for the instance, new for each instance.
  const unseeded = new initializers.RandomNormal();
  assert.deepEqual(values(unseeded), values(unseeded));
  assert.notDeepEqual(values(unseeded), values(new initializers.RandomNormal()));
  assert.equal(unseeded.getConfig().seed, null);
  // keras.utils.setRandomSeed makes unseeded initializers reproducible.
  setRandomSeed(1337);
  const first = [values(new initializers.HeNormal()), values(new initializers.RandomUniform())];
  setRandomSeed(1337);
  assert.deepEqual([values(new initializers.HeNormal()), values(new initializers.RandomUniform())], first);
  assert.throws(() => new initializers.RandomNormal({ seed: 1.5 }),
    /`seed` argument should be an integer. Received: seed=1.5/);
  assert.throws(() => new initializers.RandomNormal().call([2], 'int32'),
    /RandomNormal: random initializers produce float32/);
});

/** Every initializer with non-default arguments, and its config as Keras 3.15.1 writes it. */
const CONFIGS: [initializers.Initializer, Record<string, unknown>][] = [
  [new initializers.Zeros(), {}],
  [new initializers.Ones(), {}],
  [new initializers.Constant({ value: 0.5 }), { value: 0.5 }],
  [new initializers.Identity({ gain: 3 }), { gain: 3 }],
  [new initializers.RandomUniform({ minval: -1, maxval: 2, seed: 5 }), { seed: 5, minval: -1, maxval: 2 }],
  [new initializers.RandomNormal({ mean: 1, seed: 5 }), { seed: 5, mean: 1, stddev: 0.05 }],
  [new initializers.TruncatedNormal({ stddev: 2 }), { seed: null, mean: 0, stddev: 2 }],
  [new initializers.VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'normal', seed: 3 }),
    { seed: 3, scale: 2, mode: 'fan_avg', distribution: 'truncated_normal', input_axes: null, output_axes: null }],
  [new initializers.GlorotUniform(), { seed: null, input_axes: null, output_axes: null }],
  [new initializers.GlorotNormal({ seed: 1, inputAxes: [0], outputAxes: [1] }),
    { seed: 1, input_axes: [0], output_axes: [1] }],
  [new initializers.HeUniform({ seed: 2 }), { seed: 2, input_axes: null, output_axes: null }],
  [new initializers.HeNormal(), { seed: null, input_axes: null, output_axes: null }],
  [new initializers.LecunUniform(), { seed: null, input_axes: null, output_axes: null }],
  [new initializers.LecunNormal({ seed: 9 }), { seed: 9, input_axes: null, output_axes: null }],
  [new initializers.Orthogonal({ gain: 0.5, seed: 4 }), { seed: 4, gain: 0.5 }],
];

test('getConfig gives exactly Keras keys; fromConfig and deserialize round-trip', () => {
  for (const [init, config] of CONFIGS) {
    const cls = init.constructor as typeof initializers.GlorotUniform;
    assert.deepEqual(init.getConfig(), config, cls.className);
    const rebuilt = cls.fromConfig(init.getConfig());
    assert.ok(rebuilt instanceof cls);
    assert.deepEqual(rebuilt.getConfig(), config, `${cls.className} round trip`);
    const serialized = initializers.serialize(init);
    const expected = { module: 'keras.initializers', class_name: cls.className, config, registered_name: null };
    assert.deepEqual(serialized, expected);
    const back = initializers.deserialize(JSON.parse(JSON.stringify(serialized)) as SerializedObject);
    assert.deepEqual(initializers.serialize(back), serialized);
    if (config.seed !== undefined && config.seed !== null) {
      assert.deepEqual(back.call([3, 4]).toArray(), init.call([3, 4]).toArray(), `${cls.className} values`);
    }
  }
  assert.equal(initializers.serialize(null), null);
});

test('serialize writes what Keras 3.15.1 writes in the reference layer configs', () => {
  const root = join(referenceDir(), 'layers');
  const found: SerializedObject[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) {
      if ((value as SerializedObject).module === 'keras.initializers') found.push(value as SerializedObject);
      else Object.values(value).forEach(collect);
    }
  };
  for (const dir of readdirSync(root)) collect(JSON.parse(readFileSync(join(root, dir, 'case.json'), 'utf8')));
  assert.ok(found.length >= 3, 'the fixtures hold serialized initializers');
  for (const spec of found) assert.deepEqual(initializers.serialize(initializers.get(spec)), spec, spec.class_name);
  for (const name of new Set(found.map((s) => s.class_name))) {
    const spec = found.find((s) => s.class_name === name)!;
    assert.deepEqual(initializers.serialize(initializers.get(name)), spec, name);
  }
});

test('get accepts Keras names, aliases, serialized objects, instances and classes', () => {
  const cases: [Parameters<typeof initializers.get>[0], string][] = [
    ['glorot_uniform', 'GlorotUniform'], ['GlorotUniform', 'GlorotUniform'], ['he_normal', 'HeNormal'],
    ['zeros', 'Zeros'], ['zero', 'Zeros'], ['one', 'Ones'], ['ones', 'Ones'], ['normal', 'RandomNormal'],
    ['uniform', 'RandomUniform'], ['random_uniform', 'RandomUniform'], ['truncated_normal', 'TruncatedNormal'],
    ['variance_scaling', 'VarianceScaling'], ['orthogonal', 'Orthogonal'], ['OrthogonalInitializer', 'Orthogonal'],
    ['identity', 'Identity'], ['IdentityInitializer', 'Identity'], ['constant', 'Constant'],
    ['lecun_uniform', 'LecunUniform'], ['he_uniform', 'HeUniform'], ['glorot_normal', 'GlorotNormal'],
    ['lecun_normal', 'LecunNormal'], ['random_normal', 'RandomNormal'],
    [{ class_name: 'glorot_uniform', config: { seed: 3 } }, 'GlorotUniform'],
    [initializers.HeUniform, 'HeUniform'],
  ];
  for (const [identifier, className] of cases) {
    assert.equal(initializers.serialize(initializers.get(identifier))?.class_name, className);
  }
  const instance = new initializers.Constant({ value: 2 });
  assert.equal(initializers.get(instance), instance);
  assert.equal(initializers.get(null), null);
  const fromSpec = initializers.get({ class_name: 'RandomUniform', config: { seed: 8, minval: 0, maxval: 1 } });
  assert.equal(fromSpec.getConfig().maxval, 1);
});

test('invalid names and arguments give Keras errors', () => {
  assert.throws(() => initializers.get('glorot'), (e: Error) =>
    e.message.startsWith('Could not interpret initializer identifier: glorot. Known initializers: ') &&
    e.message.includes('glorot_uniform') && e.message.includes('GlorotUniform'));
  assert.throws(() => initializers.deserialize({ class_name: 'Nope', config: { a: 1 } }),
    /Could not interpret initializer identifier: \{"class_name":"Nope","config":\{"a":1\}\}/);
  assert.throws(() => new initializers.VarianceScaling({ scale: 0 }),
    /Argument `scale` must be positive float. Received: scale=0/);
  assert.throws(() => new initializers.VarianceScaling({ mode: 'fan' as never }),
    /Invalid `mode` argument: fan. Please use one of \{'fan_in', 'fan_out', 'fan_avg'\}/);
  assert.throws(() => new initializers.VarianceScaling({ distribution: 'gamma' as never }),
    /Invalid `distribution` argument: gamma. Please use one of/);
});
