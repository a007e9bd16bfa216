/**
 * `npm run bench`: GFLOPS of the WASM engine's GEMM and of the seed CNN's convolution passes, at
 * 1 and 2 threads, for the relaxed-SIMD and plain-SIMD builds, beside the machine's FP32 peak and
 * NumPy (PyTorch when installed) on the same products. It prints; it asserts nothing.
 * `--peers` runs models_bench.ts (whole models against PyTorch and TensorFlow.js) instead, and
 * `--profile` profile.ts (where one training step's time goes).
 */
import { performance } from 'node:perf_hooks';
import type { Conv2DParams, Kernels } from '../engine/kernels.js';
import { createWasmKernels } from '../engine/wasm/wasm_kernels.js';
import { randomF32 } from '../testing/random.js';
import { machinePeak, peerTimes, shapeKey, type PeerTimes, type Shape } from './peers.js';

interface Case {
  name: string;
  flops: number;
  /** The plain product a peer library runs for comparison (im2col excluded for convolutions); none for two products. */
  peer?: Shape;
  /** Allocates inputs once; the returned function is what gets timed. */
  prepare: (k: Kernels) => () => void;
}

function gemmCase(size: number): Case {
  const a = randomF32(size * size, 1);
  const b = randomF32(size * size, 2);
  const out = new Float32Array(size * size);
  const p = { batch: 1, m: size, n: size, k: size, transA: false, transB: false, strideA: 0, strideB: 0 };
  const prepare = (k: Kernels) => () => k.matmul(a, b, out, p);
  return { name: `GEMM ${size}³`, flops: 2 * size ** 3, peer: [size, size, size], prepare };
}

/** The tutorial CNNs' convolutions (ENGINE-NOTES "Peers"), each with the batch its model trains at. */
const conv = (batch: number, inHW: number, inC: number, outC: number, same: boolean, stride = 1): Conv2DParams => {
  const outHW = same ? Math.ceil(inHW / stride) : Math.floor((inHW - 3) / stride) + 1;
  const pad = same ? Math.floor(Math.max((outHW - 1) * stride + 3 - inHW, 0) / 2) : 0;
  return {
    batch, inH: inHW, inW: inHW, inC, outH: outHW, outW: outHW, outC, kH: 3, kW: 3,
    strideH: stride, strideW: stride, dilationH: 1, dilationW: 1, padTop: pad, padLeft: pad,
  };
};
const TUTORIAL_CONVS: { model: string; p: Conv2DParams; first: boolean }[] = [
  { model: 'M1 conv1', p: conv(128, 28, 1, 32, false), first: true },
  { model: 'M1 conv2', p: conv(128, 13, 32, 64, false), first: false },
  { model: 'M3 conv1', p: conv(64, 32, 3, 32, true), first: true },
  { model: 'M3 conv2', p: conv(64, 32, 32, 32, false), first: false },
  { model: 'M3 conv3', p: conv(64, 15, 32, 64, true, 2), first: false },
];

/**
 * One convolution's passes: forward, the two gradients alone, and the training step's fused
 * backward (ReLU mask, bias sum, and dx only when the layer is not the model's first).
 */
function convCases({ model, p, first }: (typeof TUTORIAL_CONVS)[number]): Case[] {
  const pixels = p.batch * p.outH * p.outW;
  const taps = p.kH * p.kW * p.inC;
  const flops = 2 * pixels * taps * p.outC;
  const x = randomF32(p.batch * p.inH * p.inW * p.inC, 3);
  const w = randomF32(taps * p.outC, 4);
  const bias = randomF32(p.outC, 5);
  const y = new Float32Array(pixels * p.outC);
  const dy = randomF32(y.length, 6);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  const db = new Float32Array(p.outC);
  const grads = { dx: first ? null : dx, dw, db };
  const what = `${model} ${p.inC}→${p.outC} ${p.inH}×${p.inW}${p.padTop ? ' same' : ''}${p.strideH > 1 ? ` /${p.strideH}` : ''}`;
  return [
    { name: `conv2d ${what}`, flops, peer: [pixels, taps, p.outC], prepare: (k) => () => k.conv2d(x, w, bias, y, p, 'relu') },
    { name: `conv2dGradInput ${what}`, flops, peer: [pixels, p.outC, taps], prepare: (k) => () => k.conv2dGradInput(dy, w, dx, p) },
    { name: `conv2dGradFilter ${what}`, flops, peer: [taps, pixels, p.outC], prepare: (k) => () => k.conv2dGradFilter(x, dy, dw, p) },
    {
      name: `conv2dBackward ${what}`, flops: first ? flops : 2 * flops,
      prepare: (k) => {
        k.conv2d(x, w, bias, y, p, 'relu');
        return () => k.conv2dBackward(x, w, y, dy, grads, p, 'relu');
      },
    },
  ];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median seconds of several repetitions after a warm-up; about half a second per case. */
function time(run: () => void): number {
  run();
  const t0 = performance.now();
  run();
  const once = (performance.now() - t0) / 1000;
  const reps = Math.min(25, Math.max(5, Math.ceil(0.5 / once)));
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    run();
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}

const pad = (s: string | number, n: number) => String(s).padStart(n);

async function main(): Promise<void> {
  const peak = machinePeak();
  const threadCounts = [1, 2];
  // An optional argument keeps only the cases whose name contains it, e.g. `npm run bench -- GEMM`.
  const only = process.argv[2] ?? '';
  const cases = [gemmCase(256), gemmCase(512), gemmCase(1024), ...TUTORIAL_CONVS.flatMap(convCases)].filter((c) => c.name.includes(only));
  const peers = new Map<number, PeerTimes | null>(threadCounts.map((t) => [t, peerTimes(cases.flatMap((c) => (c.peer ? [c.peer] : [])), t, 7)]));
  const perCore = peak.gflops / peak.cores;

  console.log(`keras-ts engine benchmark, Node ${process.version}`);
  console.log(`FP32 peak: ${peak.cores} cores × ${peak.mhz} MHz (${peak.source}) × 16 flop/cycle`
    + ` = ${peak.gflops.toFixed(1)} GFLOPS`
    + ` (${perCore.toFixed(1)} per core)`);
  if (peak.nativeLanes > 4) {
    // Native BLAS uses the full vector width, so it can exceed the 16 flop/cycle figure.
    const native = (peak.cores * peak.mhz * 4 * peak.nativeLanes) / 1000;
    console.log(`native peak with ${peak.nativeLanes * 32}-bit FMAs (/proc/cpuinfo flags, assuming two FMA units): `
      + `${native.toFixed(1)} GFLOPS; 16 flop/cycle is the ceiling of 128-bit WASM SIMD`);
  }
  const numpy = peers.get(1);
  console.log(numpy ? `peer: NumPy ${numpy.numpyVersion} matmul (OpenBLAS threads = engine threads); for convolutions the`
    + ' same-shaped plain product, im2col excluded' : 'peer: NumPy unavailable (python3 or numpy failed)');
  if (!numpy?.torch) console.log('peer: PyTorch skipped (not installed; apt-get install python3-torch)');
  console.log('');
  const header = `${'case'.padEnd(50)} ${'build'.padEnd(12)} thr ${pad('ms', 8)} ${pad('GFLOPS', 7)} ${pad('%peak', 6)}`
    + ` ${pad('NumPy', 7)} ${pad('ratio', 6)}${numpy?.torch ? ` ${pad('torch', 7)} ${pad('ratio', 6)}` : ''}`;
  console.log(header);
  console.log('-'.repeat(header.length));

  for (const plainSimd of [false, true]) {
    for (const threads of threadCounts) {
      const engine = await createWasmKernels({ threads, plainSimd });
      const build = engine.runtime.relaxed ? 'relaxed-simd' : 'simd';
      try {
        for (const c of cases) {
          const seconds = time(c.prepare(engine));
          const gflops = c.flops / seconds / 1e9;
          const peer = peers.get(threads);
          const cols = [
            c.name.padEnd(50), build.padEnd(12), pad(threads, 3), pad((seconds * 1000).toFixed(2), 8),
            pad(gflops.toFixed(1), 7),
            pad(((100 * gflops) / (perCore * threads)).toFixed(0), 6),
          ];
          for (const times of [peer?.numpy, peer?.torch]) {
            if (!times || !c.peer) continue;
            const peerGflops = c.flops / times[shapeKey(c.peer)] / 1e9;
            cols.push(pad(peerGflops.toFixed(1), 7), pad((gflops / peerGflops).toFixed(2), 6));
          }
          console.log(cols.join(' '));
        }
      } finally {
        engine.runtime.close();
      }
    }
  }
  console.log('\n%peak is of the cores in use (threads × per-core peak); ratio = keras-ts GFLOPS / peer GFLOPS.');
  console.log("A virtual machine's 'cpu MHz' is often the nominal clock: with turbo, %peak can pass 100.");
}

// `--peers` and `--profile` are the model-level benchmarks; loaded on demand, as the profile starts the keras-ts engine.
if (process.argv[2] === '--peers') await (await import('./models_bench.js')).modelsBench(process.argv.slice(3));
else if (process.argv[2] === '--profile') await (await import('./profile.js')).profile(process.argv.slice(3));
else await main();
