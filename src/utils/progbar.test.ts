import assert from 'node:assert/strict';
import test from 'node:test';
import { formatFloat, Progbar, type ProgbarOptions } from './progbar.js';

/** A Progbar on a hand-moved clock (seconds after its creation), writing into `output`. */
function makeBar(target: number | null, options: ProgbarOptions = {}) {
  let time = 100;
  const output: string[] = [];
  const bar = new Progbar(target, { now: () => time, write: (text) => output.push(text), ...options });
  return { bar, output, at: (seconds: number) => { time = 100 + seconds; } };
}

// The pieces of a verbose=1 line, written out literally as Keras does.
const bold = (text: string): string => `\x1b[1m${text}\x1b[0m`;
const bar = (done: number): string =>
  (done > 0 ? `\x1b[32m${'━'.repeat(done)}\x1b[0m` : '') + `\x1b[37m${'━'.repeat(Math.max(0, 20 - done))}\x1b[0m`;

test('formatFloat matches Python\'s format(x, ".4f") and format(x, ".4e"), checked against CPython', () => {
  const cases: [number, string, string][] = [
    [0.15625, '0.1562', '1.5625e-01'], // an exact tie rounds to even (JavaScript's toFixed gives 0.1563)
    [0.3125, '0.3125', '3.1250e-01'],
    [2.3813469409942627, '2.3813', '2.3813e+00'],
    [0, '0.0000', '0.0000e+00'],
    [-0, '-0.0000', '-0.0000e+00'],
    [1e-3, '0.0010', '1.0000e-03'],
    [0.0001234, '0.0001', '1.2340e-04'],
    [0.00015, '0.0001', '1.5000e-04'], // 0.00015 is a little below the tie in binary
    [9.99996, '10.0000', '1.0000e+01'], // rounding carries into a new digit
    [99999.5, '99999.5000', '1.0000e+05'],
    [9.9999e-5, '0.0001', '9.9999e-05'],
    [123456.789, '123456.7890', '1.2346e+05'],
    [-0.5, '-0.5000', '-5.0000e-01'],
    [1e23, '99999999999999991611392.0000', '1.0000e+23'],
    [1e-320, '0.0000', '9.9999e-321'], // subnormal
    [5e-324, '0.0000', '4.9407e-324'],
  ];
  for (const [x, fixed, exponent] of cases) {
    assert.equal(formatFloat(x, 4, 'f'), fixed, `${x} .4f`);
    assert.equal(formatFloat(x, 4, 'e'), exponent, `${x} .4e`);
  }
  assert.equal(formatFloat(1e100, 4, 'e'), '1.0000e+100');
  assert.equal(formatFloat(1.7976931348623157e308, 4, 'e'), '1.7977e+308');
  assert.deepEqual([0.5, 1.5, 2.5, 2.675, -0.5].map((x) => formatFloat(x, 0, 'f')), ['0', '2', '2', '3', '-0']);
  assert.deepEqual([2.675, 0.125, 0.375].map((x) => formatFloat(x, 2, 'f')), ['2.67', '0.12', '0.38']);
  assert.equal(formatFloat(0.25, 0, 'e'), '2e-01');
  assert.deepEqual([NaN, Infinity, -Infinity].map((x) => formatFloat(x, 4, 'f')), ['nan', 'inf', '-inf']);
  assert.equal(formatFloat(-Infinity, 4, 'e'), '-inf');
});

test('metric values: 4 decimals above 1e-3, exponent form below; verbose=2 keeps Keras\'s avg > 1e-3 quirk', () => {
  const values: [string, number][] = [['neg', -0.5], ['tiny', 1e-3], ['small', 0.0011], ['zero', 0]];
  const one = makeBar(1);
  one.bar.update(1, values);
  assert.equal(one.output.join(''), `\r${bold('1/1')} ${bar(20)} ${bold('0s')} 0s/step`
    + ' - neg: -0.5000 - tiny: 1.0000e-03 - small: 0.0011 - zero: 0.0000e+00\n');

  const two = makeBar(1, { verbose: 2 });
  two.at(1.5);
  two.bar.update(1, values);
  assert.equal(two.output.join(''),
    '1/1 - 2s - 2s/step - neg: -5.0000e-01 - tiny: 1.0000e-03 - small: 0.0011 - zero: 0.0000e+00\n');
});

test('verbose=2 writes only the final line, verbose=0 nothing', () => {
  const two = makeBar(3, { verbose: 2 });
  two.at(0.2);
  two.bar.update(1, [['loss', 2]]);
  two.bar.update(2, [['loss', 4]]);
  assert.deepEqual(two.output, []);
  two.at(0.5);
  two.bar.update(3, [['loss', 1]], true);
  // The first step is left out of the time per step: (0.5 - 0.2) / 2.
  assert.deepEqual(two.output, ['3/3 - 0s - 150ms/step - loss: 1.0000\n']);

  const silent = makeBar(3, { verbose: 0 });
  silent.bar.update(3, [['loss', 1]]);
  assert.deepEqual(silent.output, []);
});

test('interval: a step within 0.05 s of the last redraw is not drawn; the last step always is', () => {
  const { bar: progbar, output, at } = makeBar(10);
  at(0.01);
  progbar.update(1, [['loss', 1]]);
  at(0.04); // 0.03 s after the last redraw
  progbar.update(2, [['loss', 2]]);
  at(0.062); // 0.052 s after the last redraw, which a skipped step does not move
  progbar.update(3, [['loss', 3]]);
  at(0.07);
  progbar.update(4, [['loss', 4]]);
  at(0.08);
  progbar.update(10, [['loss', 5]]);
  assert.equal(output.length, 3);
  // Skipped steps still count in the averages: (1 + 2 + 3) / 3.
  assert.equal(output[1], `${'\b'.repeat(54)}\r${bold(' 3/10')} ${bar(6)} ${bold('0s')} 26ms/step - loss: 2.0000`);
  // '8ms' is one column shorter than '26ms': a space covers the old line's last character.
  assert.equal(output[2], `${'\b'.repeat(54)}\r${bold('10/10')} ${bar(20)} ${bold('0s')} 8ms/step - loss: 5.0000 \n`);
});

test('stateless metrics are averaged weighted by the steps each value covers; stateful ones shown as given', () => {
  const averaged = makeBar(4, { interval: 0 });
  averaged.bar.update(1, [['loss', 1]]);
  averaged.bar.update(3, [['loss', 4]]); // covers steps 2 and 3: (1 * 1 + 4 * 2) / 3
  assert.match(averaged.output[1], /loss: 3\.0000$/);
  averaged.bar.update(4, [['loss', 7]]); // a final update shows its value as the average
  assert.match(averaged.output[2], /loss: 7\.0000\n$/);

  // Keras's own progbar_test: 0 then 2 at steps 1 and 2 shows 1 when averaged, 2 when not.
  const expectations: [ProgbarOptions, string][] = [
    [{ statefulMetrics: [] }, '1.0000'], [{ statelessMetrics: ['value'] }, '1.0000'],
    [{ statelessMetrics: [] }, '2.0000'], [{ statefulMetrics: ['value'] }, '2.0000'],
  ];
  for (const [options, shown] of expectations) {
    const { bar: progbar, output } = makeBar(3, { ...options, interval: 0 });
    progbar.update(1, [['value', 0]]);
    progbar.update(2, [['value', 2]]);
    assert.ok(output[1].includes(`value: ${shown}`), JSON.stringify(options));
  }
  assert.throws(() => new Progbar(1, { statefulMetrics: [], statelessMetrics: [] }), /^Error: Only one of/);
});

test('ETA and time per step are formatted as Keras does', () => {
  const cases: [number, number, string, string][] = [
    // [target, seconds for step 1, ETA, time per step]
    [1000, 10, '2:46:30', '10s/step'],
    [100, 2, '3:18', '2s/step'],
    [3, 0.5, '1s', '500ms/step'],
    [5, 0.0005, '0s', '500us/step'],
  ];
  for (const [target, seconds, eta, perStep] of cases) {
    const { bar: progbar, output, at } = makeBar(target);
    at(seconds);
    progbar.update(1);
    const count = `${'1'.padStart(String(target).length)}/${target}`;
    assert.equal(output[0], `\r${bold(count)} ${bar(Math.trunc(20 / target))} ${bold(eta)} ${perStep}`, `${target}`);
  }
});

test('width, overshoot, unknown and zero targets, unit name, add, and a display that cannot redraw in place', () => {
  const narrow = makeBar(2, { width: 4, unitName: 'sample' });
  narrow.bar.add(1);
  narrow.bar.add(2); // overshoots the target: the bar overflows, its remainder is empty
  assert.deepEqual(narrow.output, [
    `\r${bold('1/2')} \x1b[32m━━\x1b[0m\x1b[37m━━\x1b[0m ${bold('0s')} 0s/sample`,
    `${'\b'.repeat(21)}\r${bold('3/2')} \x1b[32m━━━━━━\x1b[0m\x1b[37m\x1b[0m ${bold('0s')} 0s/sample\n`,
  ]);

  const unknown = makeBar(null, { dynamicDisplay: false });
  unknown.at(0.25);
  unknown.bar.update(7, [['loss', 0.5]]);
  unknown.bar.update(8, [], true);
  assert.deepEqual(unknown.output, [
    `\n      7/Unknown ${bold('0s')} 36ms/step - loss: 0.5000`,
    `\n      8/Unknown ${bold('0s')} 31ms/step - loss: 0.5000\n`,
  ]);

  const empty = makeBar(0);
  empty.bar.update(0, [], true);
  assert.deepEqual(empty.output, [`\r      0/Unknown ${bold('0s')} 0s/step\n`]);
  const emptyTwo = makeBar(0, { verbose: 2 });
  emptyTwo.bar.update(0, [], true);
  assert.deepEqual(emptyTwo.output, []);
});
