/**
 * `npm run bench -- --profile`: where one keras-ts training step of M1 (batch 128, Adam) spends
 * its time, per layer and pass. It times the real `trainOnBatch`, instrumented from outside:
 * - each layer's `call` marks the start of its forward pass, and puts an identity node on the
 *   autograd tape after its output, whose backward marks the start of the layer's backward pass
 *   (the tape runs backwards, so everything until the next marker belongs to that layer);
 * - the loss and the optimizer mark their own phases the same way;
 * - every kernel call is timed, and inside it the engine's copies of operands into and out of
 *   WebAssembly memory (`WasmRuntime.call` minus the kernel body).
 * Wall time per phase minus kernel time is JavaScript: op dispatch, allocation, plain-JS loops.
 *
 * Options: --steps N (default 20, after 3 warm-up steps), --model M1|M2|M3.
 */
import { performance } from 'node:perf_hooks';
import * as keras from '../index.js';
import { kernels, setKernels } from '../backend/engine.js';
import { record } from '../backend/tape.js';
import { Tensor } from '../backend/tensor.js';
import type { Kernels } from '../engine/kernels.js';
import type { WasmKernels } from '../engine/wasm/wasm_kernels.js';
import { kerasModel } from './keras_models.js';
import { CLASSES, MODELS, MODEL_NAMES, syntheticImages, syntheticLabels, type ModelName } from './models.js';

interface Tally {
  wall: number;
  kernel: number;
  copy: number;
  calls: number;
}

const tally = (): Tally => ({ wall: 0, kernel: 0, copy: 0, calls: 0 });

class Profiler {
  readonly phases = new Map<string, Tally>();
  readonly kernelTallies = new Map<string, Tally>();
  private phase = 'other';
  private since = performance.now();
  private kernel = '';

  enter(phase: string): void {
    const now = performance.now();
    this.get(this.phases, this.phase).wall += now - this.since;
    this.phase = phase;
    this.since = now;
  }

  reset(): void {
    this.phases.clear();
    this.kernelTallies.clear();
    // The table lists phases in the order they first run, starting with the step's entry.
    this.phase = 'trainOnBatch entry';
    this.since = performance.now();
  }

  /** Every kernel function of `k`, timed and charged to the current phase and to its own name. */
  wrapKernels(k: Kernels): Kernels {
    const wrapped: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(k)) {
      // openWorkspace hands out step memory rather than computing: not a kernel to time.
      if (typeof value !== 'function' || name === 'openWorkspace') {
        wrapped[name] = value;
        continue;
      }
      wrapped[name] = (...args: unknown[]) => {
        const outer = this.kernel;
        this.kernel = name;
        const t = performance.now();
        try {
          return (value as (...a: unknown[]) => unknown).apply(k, args);
        } finally {
          this.kernel = outer;
          // A kernel that calls another (composite kernels) is charged once, to the outer one.
          if (!outer) this.charge(name, { kernel: performance.now() - t, calls: 1 });
        }
      };
    }
    return wrapped as unknown as Kernels;
  }

  /** Times `WasmRuntime.call` around its body: the rest is copying operands in and out of engine memory. */
  watchCopies(engine: WasmKernels): void {
    const runtime = engine.runtime;
    const call = runtime.call.bind(runtime);
    runtime.call = (inputs, outputs, body) => {
      let inBody = 0;
      const t = performance.now();
      const result = call(inputs, outputs, (inPtrs, outPtrs) => {
        const b = performance.now();
        try {
          return body(inPtrs, outPtrs);
        } finally {
          inBody += performance.now() - b;
        }
      });
      this.charge(this.kernel || 'runtime.call', { copy: performance.now() - t - inBody, calls: 0 });
      return result;
    };
  }

  /** `t` under another identity, on the tape after `t`: its backward runs first when the tape unwinds past here. */
  marker(t: Tensor, backwardPhase: string): Tensor {
    return record('profile_marker', [t], new Tensor(t.values, t.shape, t.dtype), (dy) => {
      this.enter(backwardPhase);
      return [dy];
    });
  }

  private charge(kernel: string, amount: Partial<Tally>): void {
    for (const t of [this.get(this.phases, this.phase), this.get(this.kernelTallies, kernel)]) {
      t.kernel += amount.kernel ?? 0;
      t.copy += amount.copy ?? 0;
      t.calls += amount.calls ?? 0;
    }
  }

  private get(map: Map<string, Tally>, key: string): Tally {
    let t = map.get(key);
    if (!t) map.set(key, (t = tally()));
    return t;
  }
}

function instrument(profiler: Profiler, model: keras.Sequential, loss: keras.losses.Loss): void {
  for (const layer of model.layers) {
    const call = layer.call.bind(layer);
    layer.call = (inputs, options) => {
      profiler.enter(`forward  ${layer.name}`);
      return profiler.marker(call(inputs, options), `backward ${layer.name}`);
    };
  }
  const apply = loss.apply.bind(loss);
  loss.apply = (yTrue, yPred, sampleWeight) => {
    profiler.enter('forward  loss');
    return profiler.marker(apply(yTrue, yPred, sampleWeight), 'backward loss');
  };
  const optimizer = model.optimizer!;
  const update = optimizer.apply.bind(optimizer);
  optimizer.apply = (grads, variables) => {
    profiler.enter('optimizer (Adam)');
    update(grads, variables);
    profiler.enter('metrics and the rest of the step');
  };
}

const ms = (x: number) => x.toFixed(2).padStart(8);
const pct = (x: number, total: number) => `${((100 * x) / total).toFixed(1)}%`.padStart(6);

export async function profile(argv: readonly string[]): Promise<void> {
  const at = (name: string) => argv[argv.indexOf(name) + 1];
  const steps = argv.includes('--steps') ? Number(at('--steps')) : 20;
  const name = (argv.includes('--model') ? at('--model') : 'M1') as ModelName;
  if (!MODEL_NAMES.includes(name)) throw new Error(`unknown model '${name}'`);
  const spec = MODELS[name];
  const bs = spec.batchSize;
  const loss = new keras.losses.CategoricalCrossentropy();
  const model = kerasModel(name, loss);
  const profiler = new Profiler();
  const engine = kernels() as WasmKernels;
  setKernels(profiler.wrapKernels(engine));
  profiler.watchCopies(engine);
  instrument(profiler, model, loss);
  const x = keras.tensor(syntheticImages(spec, 0, bs), [bs, ...spec.inputShape]);
  const y = keras.tensor(syntheticLabels(0, bs), [bs, CLASSES]);

  for (let i = 0; i < 3; i++) model.trainOnBatch(x, y);
  profiler.reset();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    profiler.enter('trainOnBatch entry');
    model.trainOnBatch(x, y);
  }
  profiler.enter('other');
  const step = (performance.now() - t0) / steps;

  console.log(`keras-ts training-step profile: ${name} (${spec.description}), batch ${bs}, Adam, ${keras.config.backend()}, `
    + `mean of ${steps} steps after 3 warm-up steps: ${step.toFixed(1)} ms/step (${((1000 * bs) / step).toFixed(0)} img/s, `
    + 'instrumented)\n');
  console.log('Per phase, ms per step. kernels = time inside kernel calls, of which copies = the engine copying operands');
  console.log('into and out of WebAssembly memory; JS = the rest of the wall time (op dispatch, allocation, plain-JS work).\n');
  console.log(`| phase | wall ms | % of step | kernels ms | of which copies ms | JS ms |`);
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const per = (t: Tally) => [t.wall / steps, t.kernel / steps, t.copy / steps] as const;
  let copies = 0;
  for (const [phase, t] of profiler.phases) {
    const [wall, kernel, copy] = per(t);
    copies += copy;
    console.log(`| ${phase} | ${ms(wall)} | ${pct(wall, step)} | ${ms(kernel)} | ${ms(copy)} | ${ms(wall - kernel)} |`);
  }
  console.log(`| **all** | ${ms(step)} | 100.0% | | ${ms(copies)} (${pct(copies, step).trim()}) | |`);

  console.log('\nPer kernel, ms per step, heaviest first.\n');
  console.log('| kernel | calls/step | ms | % of step | of which copies ms |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const byTime = [...profiler.kernelTallies].sort(([, a], [, b]) => b.kernel - a.kernel);
  for (const [kernel, t] of byTime) {
    const [, kernelMs, copy] = per(t);
    console.log(`| ${kernel} | ${(t.calls / steps).toFixed(0)} | ${ms(kernelMs)} | ${pct(kernelMs, step)} | ${ms(copy)} |`);
  }
  engine.runtime.close();
}
