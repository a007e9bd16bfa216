/**
 * `npm run bench:peers`: M1, M2 and M3 trained and predicted by keras-ts, PyTorch and
 * TensorFlow.js (cpu), each model and peer in a process of its own, one after the other, and the
 * measured figures side by side with the ratios keras-ts / peer. Nothing is estimated: a peer
 * that is missing or not run is printed as such.
 *
 * Options: --batches N (keras-ts and PyTorch, default 30), --predict N images (default 10000),
 * --tfjs-batches N (default 2: tfjs-cpu is about a thousand times slower), --tfjs-models M1,M2
 * (default; M3 takes minutes per batch there), --models M1,M2,M3.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machinePeak } from './peers.js';
import { MODELS, MODEL_NAMES, type ModelName, type PeerResult } from './models.js';

const here = dirname(fileURLToPath(import.meta.url));
/** bench/peers/ beside src/ and dist/. */
const TORCH_SCRIPT = join(here, '..', '..', 'bench', 'peers', 'pytorch_models.py');
/** One predict batch: tfjs-cpu predicts tens of images per second. */
const TFJS_PREDICT_IMAGES = 1000;
const TFJS_WASM_NOTE = "tfjs-wasm: not run: @tensorflow/tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so it cannot train a Conv2D";

interface Options {
  models: ModelName[];
  batches: number;
  predictImages: number;
  tfjsBatches: number;
  tfjsModels: ModelName[];
  threads: number;
}

function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function modelList(text: string): ModelName[] {
  const names = text.split(',');
  for (const n of names) if (!MODEL_NAMES.includes(n as ModelName)) throw new Error(`unknown model '${n}' (M1, M2, M3)`);
  return names as ModelName[];
}

function parseOptions(argv: readonly string[]): Options {
  const threads = Number(process.env.KERAS_TS_THREADS ?? Math.min(cpus().length, 8));
  return {
    models: modelList(option(argv, '--models') ?? 'M1,M2,M3'),
    batches: Number(option(argv, '--batches') ?? 30),
    predictImages: Number(option(argv, '--predict') ?? 10000),
    tfjsBatches: Number(option(argv, '--tfjs-batches') ?? 2),
    tfjsModels: modelList(option(argv, '--tfjs-models') ?? 'M1,M2'),
    threads,
  };
}

type Outcome = PeerResult | { skipped: string };

/** Runs one peer process and parses the JSON line it prints last. */
function runPeer(command: string, args: string[], threads: number): Outcome {
  const n = String(threads);
  const env = {
    ...process.env, BENCH_SPAWN_MS: String(Date.now()), KERAS_TS_THREADS: n,
    OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n,
  };
  const run = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  const last = run.stdout?.trim().split('\n').at(-1) ?? '';
  if (run.status === 0 && last.startsWith('{')) return JSON.parse(last) as PeerResult;
  const why = run.error?.message ?? (run.stderr.trim().split('\n').at(-1) || `exit status ${run.status}`);
  return { skipped: `failed: ${why}` };
}

/** The first python3 that imports torch: the one on PATH, else Debian's (python3-torch installs there). */
function torchPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return python;
  }
  return null;
}

function tfjsInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs');
    return true;
  } catch {
    return false;
  }
}

interface Row {
  label: string;
  value: (r: PeerResult) => number;
  digits: number;
}

const ROWS: Row[] = [
  { label: 'train img/s (batches 2..n)', value: (r) => r.trainImagesPerSecond, digits: 1 },
  { label: 'first batch s', value: (r) => r.firstBatchSeconds, digits: 2 },
  { label: 'predict img/s (batch 1000)', value: (r) => r.predictImagesPerSecond, digits: 0 },
  { label: 'spawn to end of batch 1, s', value: (r) => r.startToFirstBatchSeconds, digits: 2 },
  { label: 'peak RSS MiB', value: (r) => r.peakRssMiB, digits: 0 },
];

const format = (x: number, digits: number) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A Markdown table, so that the output pastes into the README as it is. */
function printTable(model: ModelName, ours: Outcome, peers: [string, Outcome][]): void {
  const header = ['keras-ts', ...peers.flatMap(([name]) => [name, `keras-ts / ${name}`])];
  console.log(`\n${model} (${MODELS[model].description}, batch ${MODELS[model].batchSize})\n`);
  console.log(`| ${model} | ${header.join(' | ')} |`);
  console.log(`| --- | ${header.map(() => '---:').join(' | ')} |`);
  for (const row of ROWS) {
    const cells = [format('skipped' in ours ? NaN : row.value(ours), row.digits)];
    for (const [, peer] of peers) {
      if ('skipped' in peer) {
        cells.push('—', '—');
        continue;
      }
      cells.push(format(row.value(peer), row.digits));
      cells.push('skipped' in ours ? '—' : format(row.value(ours) / row.value(peer), 2));
    }
    console.log(`| ${row.label} | ${cells.join(' | ')} |`);
  }
  for (const [name, outcome] of [['keras-ts', ours] as const, ...peers]) {
    console.log('skipped' in outcome ? `- ${name}: ${outcome.skipped}` : `- ${name}: ${outcome.note ?? ''}, ${outcome.batches} batches`
      + `, predict over ${outcome.predictImages} images`);
  }
}

export async function modelsBench(argv: readonly string[]): Promise<void> {
  const o = parseOptions(argv);
  const python = torchPython();
  const tfjs = tfjsInstalled();
  console.log(`keras-ts against PyTorch and TensorFlow.js, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, `
    + `${o.threads} threads (KERAS_TS_THREADS; torch.set_num_threads the same)`);
  const peak = machinePeak();
  console.log(`CPU: ${cpus()[0]?.model ?? 'unknown'}, ${peak.cores} cores at ${peak.mhz} MHz (${peak.source})`
    + `, native FMA ${peak.nativeLanes * 32} bits wide`);
  console.log(`Adam(1e-3), categorical cross-entropy, Keras's default initialisation, the same synthetic data; `
    + `${o.batches} batches for keras-ts and PyTorch, ${o.tfjsBatches} for tfjs-cpu; each model and peer in its own process, in turn.`);
  console.log('Ratios are keras-ts / peer: above 1 is better for img/s, below 1 is better for seconds and MiB.');
  console.log(TFJS_WASM_NOTE);
  for (const model of o.models) {
    const args = (batches: number, predict: number) => [model, String(batches), String(predict), String(o.threads)];
    const ours = runPeer(process.execPath, [join(here, 'run_keras_ts.js'), ...args(o.batches, o.predictImages)], o.threads);
    const torch: Outcome = python
      ? runPeer(python, [TORCH_SCRIPT, ...args(o.batches, o.predictImages)], o.threads)
      : { skipped: 'skipped (not installed: apt-get install python3-torch)' };
    const tfjsCpu: Outcome = !tfjs
      ? { skipped: 'skipped (not installed: npm install --save-dev @tensorflow/tfjs)' }
      : o.tfjsModels.includes(model)
        ? runPeer(process.execPath, [join(here, 'run_tfjs.js'), ...args(o.tfjsBatches, TFJS_PREDICT_IMAGES)], o.threads)
        : { skipped: `not run (minutes per batch on tfjs-cpu; add --tfjs-models ${[...o.tfjsModels, model].join(',')})` };
    printTable(model, ours, [['PyTorch', torch], ['tfjs-cpu', tfjsCpu]]);
  }
}
