/**
 * The three benchmark models (ENGINE-NOTES "Peers on the same machine"), the synthetic data every
 * peer trains on, and the measuring loop the JavaScript peers share. The PyTorch twin of this file
 * is bench/peers/pytorch_models.py: the data formula and the layer lists must stay the same.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export type ModelName = 'M1' | 'M2' | 'M3';
export const MODEL_NAMES: readonly ModelName[] = ['M1', 'M2', 'M3'];

export interface ModelSpec {
  description: string;
  inputShape: [number, number, number];
  batchSize: number;
}

export const MODELS: Record<ModelName, ModelSpec> = {
  M1: { description: "tutorial 001's CNN, 28x28x1", inputShape: [28, 28, 1], batchSize: 128 },
  M2: { description: "tutorial 002's CNN, 28x28x1", inputShape: [28, 28, 1], batchSize: 150 },
  M3: { description: '32x32x3 CNN with BatchNormalization', inputShape: [32, 32, 3], batchSize: 64 },
};

export const CLASSES = 10;
export const PREDICT_BATCH = 1000;

/**
 * `count` images starting at image `first`, NHWC: pixel i is frac(i * 2654435761 / 2^32), a
 * Knuth multiplicative hash that NumPy reproduces exactly with uint64 arithmetic.
 */
export function syntheticImages(spec: ModelSpec, first: number, count: number): Float32Array {
  const size = spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2];
  const out = new Float32Array(count * size);
  const offset = first * size;
  for (let i = 0; i < out.length; i++) out[i] = (Math.imul(offset + i, 2654435761) >>> 0) / 4294967296;
  return out;
}

/** One-hot labels: image i is class (7 i + 3) mod 10. */
export function syntheticLabels(first: number, count: number): Float32Array {
  const out = new Float32Array(count * CLASSES);
  for (let i = 0; i < count; i++) out[i * CLASSES + ((7 * (first + i) + 3) % CLASSES)] = 1;
  return out;
}

/** The training set as `count` batches of images (NHWC) and one-hot labels; batch b starts at image b * batchSize. */
export function syntheticBatches(spec: ModelSpec, count: number): { images: Float32Array; labels: Float32Array }[] {
  const bs = spec.batchSize;
  return Array.from({ length: count }, (_, b) => ({ images: syntheticImages(spec, b * bs, bs), labels: syntheticLabels(b * bs, bs) }));
}

/** What one peer process reports for one model, as one JSON line on stdout. */
export interface PeerResult {
  peer: string;
  model: ModelName;
  threads: number;
  batches: number;
  /** Seconds of the first training batch alone. */
  firstBatchSeconds: number;
  /** Images per second over batches 2..n. */
  trainImagesPerSecond: number;
  predictImages: number;
  predictImagesPerSecond: number;
  /** From the parent's spawn (BENCH_SPAWN_MS) to the end of the first batch. */
  startToFirstBatchSeconds: number;
  peakRssMiB: number;
  note?: string;
}

export interface PeerArgs {
  model: ModelName;
  batches: number;
  predictImages: number;
  threads: number;
}

/** `<model> <batches> <predictImages> <threads>`, as models_bench.ts passes them. */
export function peerArgs(argv: readonly string[]): PeerArgs {
  const [model, batches, predictImages, threads] = argv;
  if (!MODEL_NAMES.includes(model as ModelName)) throw new Error(`unknown model '${model}'`);
  return { model: model as ModelName, batches: Number(batches), predictImages: Number(predictImages), threads: Number(threads) };
}

/** VmHWM from /proc/self/status (the peak resident set), else node's maxRSS. */
export function peakRssMiB(): number {
  try {
    const match = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS / 1024;
}

export interface Trainee {
  /** Runs one optimizer step on training batch `index`, returning once its result is computed. */
  trainBatch(index: number): Promise<void>;
  /** Predicts `images` images at batch PREDICT_BATCH, returning once the outputs are computed. */
  predict(images: number): Promise<void>;
}

/** The protocol every peer follows: batch 1 alone, batches 2..n timed together, then predict. */
export async function measure(peer: string, args: PeerArgs, trainee: Trainee): Promise<PeerResult> {
  const spawned = Number(process.env.BENCH_SPAWN_MS ?? Date.now() - performance.now());
  const t0 = performance.now();
  await trainee.trainBatch(0);
  const t1 = performance.now();
  const startToFirstBatchSeconds = (Date.now() - spawned) / 1000;
  for (let b = 1; b < args.batches; b++) await trainee.trainBatch(b);
  const t2 = performance.now();
  await trainee.predict(args.predictImages);
  const t3 = performance.now();
  return {
    peer, model: args.model, threads: args.threads, batches: args.batches,
    firstBatchSeconds: (t1 - t0) / 1000,
    trainImagesPerSecond: ((args.batches - 1) * MODELS[args.model].batchSize) / ((t2 - t1) / 1000),
    predictImages: args.predictImages,
    predictImagesPerSecond: args.predictImages / ((t3 - t2) / 1000),
    startToFirstBatchSeconds,
    peakRssMiB: peakRssMiB(),
  };
}
