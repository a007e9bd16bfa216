/** The base optimizer's sequence (clipping, weight decay, EMA, accumulation, loss scaling), learning rates and errors. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { Variable } from '../backend/variable.js';
import { convertToTensor } from '../ops/core.js';
import { Adam } from './adam.js';
import { ExponentialDecay } from './schedules/exponential_decay.js';
import { SGD } from './sgd.js';
import { checkAgainstReference, gradientTensors, makeGradients, makeVariables, SHAPES, type ReferenceUpdate } from './test_utils.js';

const sgdStep = (lr: number): ReferenceUpdate => (w, g) => w.forEach((_, j) => (w[j] -= lr * g[j]));
const norm = (g: Float64Array): number => Math.sqrt(g.reduce((s, x) => s + x * x, 0));

test('clipnorm scales each gradient to an L2 norm of at most clipnorm', () => {
  const clip = (gs: Float64Array[]): Float64Array[] => gs.map((g) => g.map((x) => (x * 0.3) / Math.max(norm(g), 0.3)));
  checkAgainstReference(new SGD({ learningRate: 0.1, clipnorm: 0.3 }), { update: sgdStep(0.1), clip });
});

test('globalClipnorm scales all gradients by one factor', () => {
  const clip = (gs: Float64Array[]): Float64Array[] => {
    const total = Math.sqrt(gs.reduce((s, g) => s + norm(g) ** 2, 0));
    return gs.map((g) => g.map((x) => x * 0.5 * Math.min(1 / total, 1 / 0.5)));
  };
  checkAgainstReference(new SGD({ learningRate: 0.1, globalClipnorm: 0.5 }), { update: sgdStep(0.1), clip });
});

test('clipvalue clips each gradient element to [-clipvalue, clipvalue]', () => {
  const clip = (gs: Float64Array[]): Float64Array[] => gs.map((g) => g.map((x) => Math.min(Math.max(x, -0.2), 0.2)));
  checkAgainstReference(new SGD({ learningRate: 0.1, clipvalue: 0.2 }), { update: sgdStep(0.1), clip });
});

test('weight decay uses the current learning rate and skips excluded variables', () => {
  checkAgainstReference(new SGD({ learningRate: 0.1, weightDecay: 0.5 }), { update: sgdStep(0.1), weightDecay: { rate: 0.5, lr: 0.1 } });
  const optimizer = new SGD({ learningRate: 0.1, weightDecay: 0.5 });
  optimizer.excludeFromWeightDecay({ varNames: ['bias'] });
  const [kernel, bias] = makeVariables();
  const before = [...bias.value.values];
  optimizer.apply([convertToTensor([[0, 0, 0], [0, 0, 0]]), convertToTensor([0, 0, 0, 0])], [kernel, bias]);
  assert.deepEqual([...bias.value.values], before);
});

test('a learning rate schedule is evaluated at the iteration count before each update', () => {
  const schedule = new ExponentialDecay(0.1, 1, 0.5);
  const optimizer = new SGD({ learningRate: schedule });
  assert.equal(optimizer.variables.length, 1, 'no learning_rate variable with a schedule');
  let step = 0;
  const update: ReferenceUpdate = (w, g, t) => {
    step = t;
    w.forEach((_, j) => (w[j] -= 0.1 * 0.5 ** (t - 1) * g[j]));
  };
  checkAgainstReference(optimizer, { update });
  assert.equal(optimizer.learningRate, Math.fround(0.1 * 0.5 ** step));
  assert.throws(() => (optimizer.learningRate = 0.1), /hence its learning rate is not settable/);
});

test('the learning rate can be set; replacing it with a schedule drops the variable', () => {
  const optimizer = new SGD({ name: 'settable' });
  optimizer.learningRate = 0.5;
  assert.equal(optimizer.learningRate, 0.5);
  assert.equal(optimizer.getConfig().learning_rate, 0.5);
  optimizer.learningRate = new ExponentialDecay(0.1, 10, 0.9);
  assert.deepEqual(optimizer.variables.map((v) => v.path), ['settable/iteration']);
  assert.deepEqual(optimizer.getConfig().learning_rate, {
    module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay', registered_name: null,
    config: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.9, staircase: false, name: 'ExponentialDecay' },
  });
  assert.throws(() => (new SGD().learningRate = -1), /^Error: SGD: Argument `learning_rate` must be >= 0\. Received: learning_rate=-1$/);
});

test('EMA keeps moving averages of the weights and writes them back', () => {
  const optimizer = new SGD({ name: 'ema', learningRate: 0.1, useEma: true, emaMomentum: 0.9 });
  const variables = makeVariables();
  const expected = variables.map((v) => Float64Array.from(v.value.values));
  const averages = expected.map((w) => Float64Array.from(w));
  for (let t = 1; t <= 3; t++) {
    const grads = makeGradients(t);
    optimizer.apply(grads.map((g, i) => convertToTensor(g, SHAPES[i])), variables);
    // The first step copies the weights (momentum 0 while iterations == 0).
    const momentum = t === 1 ? 0 : 0.9;
    expected.forEach((w, i) => w.forEach((x, j) => {
      w[j] = x - 0.1 * grads[i][j];
      averages[i][j] = momentum * averages[i][j] + (1 - momentum) * w[j];
    }));
  }
  assert.deepEqual(optimizer.variables.slice(2).map((v) => v.name), ['dense_kernel_average', 'dense_bias_average']);
  optimizer.variables.slice(2).forEach((v, i) => averages[i].forEach((a, j) => assert.ok(Math.abs(v.value.values[j] - a) < 1e-6)));
  optimizer.finalizeVariableValues(variables);
  variables.forEach((v, i) => averages[i].forEach((a, j) => assert.ok(Math.abs(v.value.values[j] - a) < 1e-6)));
});

test('emaOverwriteFrequency writes the averages back every N steps', () => {
  const optimizer = new SGD({ learningRate: 0.1, useEma: true, emaOverwriteFrequency: 2 });
  const variables = makeVariables();
  const averages = (): number[][] => optimizer.variables.slice(2).map((v) => [...v.value.values]);
  const values = (): number[][] => variables.map((v) => [...v.value.values]);
  optimizer.apply(gradientTensors(1), variables);
  optimizer.apply(gradientTensors(2), variables);
  assert.deepEqual(values(), averages());
  optimizer.apply(gradientTensors(3), variables);
  assert.notDeepEqual(values(), averages());
});

test('gradient accumulation updates every N steps with the mean gradient; Adam counts updates', () => {
  const optimizer = new Adam({ name: 'accum', learningRate: 0.1, gradientAccumulationSteps: 2 });
  const accumulated = new Adam({ learningRate: 0.1 });
  const [a, b] = [makeVariables(), makeVariables()];
  for (let t = 1; t <= 4; t++) {
    optimizer.apply(gradientTensors(t), a);
    if (t % 2 === 0) {
      const previous = makeGradients(t - 1);
      accumulated.apply(makeGradients(t).map((g, i) => convertToTensor(g.map((x, j) => (x + previous[i][j]) / 2), SHAPES[i])), b);
    }
    a.forEach((v, i) => b[i].value.values.forEach((x, j) => assert.ok(Math.abs(v.value.values[j] - x) < 1e-6, `step ${t}`)));
  }
  assert.equal(optimizer.iterations.values[0], 2);
  assert.equal(optimizer.variables[0].value.values[0], 4);
  assert.deepEqual(optimizer.variables.slice(2, 4).map((v) => v.name), ['dense_kernel_gradient_accumulator', 'dense_bias_gradient_accumulator']);
});

test('lossScaleFactor scales the loss and unscales the gradients', () => {
  const optimizer = new SGD({ learningRate: 1, lossScaleFactor: 4 });
  assert.deepEqual(optimizer.scaleLoss(convertToTensor(2)).values[0], 8);
  const v = new Variable(convertToTensor([1, 1]), { name: 'w' });
  optimizer.apply([convertToTensor([4, 8])], [v]);
  assert.deepEqual([...v.value.values], [0, -1]);
});

test('apply: missing gradients are skipped, the built variables may be implied, and wrong input is refused', () => {
  const optimizer = new SGD({ learningRate: 1 });
  const [kernel, bias] = makeVariables();
  assert.throws(() => optimizer.apply([convertToTensor([1, 2, 3, 4])]), /the optimizer must already be built/);
  const warn = console.warn;
  const warnings: string[] = [];
  console.warn = (message: string) => warnings.push(message);
  try {
    optimizer.apply([null, convertToTensor([1, 1, 1, 1])], [kernel, bias]);
  } finally {
    console.warn = warn;
  }
  assert.match(warnings[0], /Gradients do not exist for variables \["dense\/kernel"\]/);
  optimizer.apply([convertToTensor([[0, 0, 0], [0, 0, 0]]), convertToTensor([1, 1, 1, 1])]);
  assert.equal(optimizer.iterations.values[0], 2);
  assert.throws(() => optimizer.apply([null, null], [kernel, bias]), /^Error: No gradients provided for any variable\.$/);
  const stranger = new Variable(convertToTensor([1]), { name: 'stranger', path: 'other/stranger' });
  assert.throws(() => optimizer.apply([convertToTensor([1])], [stranger]), /^Error: Unknown variable: 'other\/stranger'\. This optimizer/);
  assert.throws(() => optimizer.apply([convertToTensor([1, 2])], [bias]),
    /The gradient for variable 'dense\/bias' must be a float32 tensor of shape \(4,\)\. Received: a float32 tensor of shape \(2,\)/);
});

test('constructor errors name the optimizer and the argument, in Keras\'s wording', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => new Adam({ learningRate: -0.001 }), /^Error: Adam: Argument `learning_rate` must be >= 0\. Received: learning_rate=-0\.001$/],
    [() => new Adam({ learningRate: 'fast' as unknown as number }), /^Error: Adam: Argument `learning_rate` should be float/],
    [() => new Adam({ beta1: 1 }), /^Error: Adam: `beta_1` must be in the range \[0, 1\)\. Received: beta_1=1$/],
    [() => new Adam({ beta2: -0.5 }), /^Error: Adam: `beta_2` must be in the range \[0, 1\)\. Received: beta_2=-0\.5$/],
    [() => new Adam({ epsilon: -1 }), /^Error: Adam: `epsilon` must be >= 0\. Received: epsilon=-1$/],
    [() => new Adam({ clipnorm: 1, clipvalue: 1 }),
      /^Error: Adam: Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set\. Received: clipnorm=1, clipvalue=1, global_clipnorm=null$/],
    [() => new Adam({ learning_rate: 0.1 } as object), /^Error: Adam: Argument\(s\) not recognized: \{"learning_rate":0\.1\}$/],
    [() => new Adam({ gradientAccumulationSteps: 1 }), /`gradient_accumulation_steps` must be an integer >= 2\. Received: gradient_accumulation_steps=1/],
    [() => new Adam({ useEma: true, emaMomentum: 2 }), /^Error: Adam: `ema_momentum` must be in the range \[0, 1\]\. Received: ema_momentum=2$/],
    [() => new SGD({ useEma: true, emaOverwriteFrequency: 0.5 }), /`ema_overwrite_frequency` must be an integer >= 1 or None/],
  ];
  for (const [make, message] of cases) assert.throws(make, message);
});

test('default names are unique: adam, adam_1, ...', () => {
  const [first, second] = [new Adam(), new Adam()];
  const index = (name: string): number => (name === 'adam' ? 0 : Number(name.slice('adam_'.length)));
  assert.match(first.name, /^adam(_\d+)?$/);
  assert.equal(index(second.name), index(first.name) + 1);
  assert.equal(second.variables[0].path, `${second.name}/iteration`);
});

test('saveOwnVariables / loadOwnVariables round-trip the state', () => {
  const trained = new Adam({ name: 'saver' });
  const variables = makeVariables();
  trained.apply(gradientTensors(1), variables);
  const store = {};
  trained.saveOwnVariables(store);
  const restored = new Adam({ name: 'loader' });
  restored.build(variables);
  restored.loadOwnVariables(store);
  restored.variables.forEach((v, i) => assert.deepEqual([...v.value.values], [...trained.variables[i].value.values]));
});
