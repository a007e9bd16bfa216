/**
 * What the benchmark compares with: the machine's FP32 peak and the same products in NumPy (and
 * PyTorch when installed), measured by a python3 subprocess in the same run.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export interface Peak {
  cores: number;
  mhz: number;
  /** Where the clock came from, for the printout. */
  source: string;
  /** cores × clock × 16 flop/cycle: two 4-lane FMAs per cycle, the most 128-bit WASM SIMD can issue. */
  gflops: number;
  /** The widest native FMA (from /proc/cpuinfo flags) in float lanes, 0 when unknown. */
  nativeLanes: number;
}

export function machinePeak(): Peak {
  const cores = cpus().length;
  let mhz = cpus()[0]?.speed ?? 0;
  let source = 'os.cpus()';
  let nativeLanes = 0;
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const match = /^cpu MHz\s*:\s*([\d.]+)/m.exec(info);
    if (match) {
      mhz = Number(match[1]);
      source = "/proc/cpuinfo 'cpu MHz'";
    }
    const flags = new Set(/^flags\s*:(.*)$/m.exec(info)?.[1].trim().split(/\s+/) ?? []);
    nativeLanes = flags.has('avx512f') ? 16 : flags.has('avx2') && flags.has('fma') ? 8 : 0;
  } catch {
    // Not Linux: os.cpus() already gave a clock.
  }
  return { cores, mhz, source, gflops: (cores * mhz * 16) / 1000, nativeLanes };
}

/** A product m×k @ k×n. */
export type Shape = [m: number, k: number, n: number];

export interface PeerTimes {
  /** Median seconds per product, keyed by `m×k×n`. */
  numpy: Record<string, number>;
  /** Null when torch is not importable. */
  torch: Record<string, number> | null;
  numpyVersion: string;
}

// Median of several timed repetitions after a warm-up, as the WASM side does.
const SCRIPT = `
import json, statistics, sys, time
import numpy as np
shapes, threads, reps = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def timed(f):
    f()
    times = []
    for _ in range(reps):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return statistics.median(times)
rng = np.random.default_rng(0)
out = {"numpy": {}, "torch": None, "numpyVersion": np.__version__}
for m, k, n in shapes:
    a = rng.random((m, k), dtype=np.float32); b = rng.random((k, n), dtype=np.float32)
    out["numpy"][f"{m}x{k}x{n}"] = timed(lambda: a @ b)
try:
    import torch
    torch.set_num_threads(threads)
    out["torch"] = {}
    for m, k, n in shapes:
        a = torch.rand(m, k); b = torch.rand(k, n)
        out["torch"][f"{m}x{k}x{n}"] = timed(lambda: torch.matmul(a, b))
except ImportError:
    pass
print(json.dumps(out))
`;

/** Times the products in NumPy/PyTorch with `threads` BLAS threads; null when python3 or numpy fails. */
export function peerTimes(shapes: Shape[], threads: number, reps: number): PeerTimes | null {
  const n = String(threads);
  const env = { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
  try {
    const out = execFileSync('python3', ['-c', SCRIPT, JSON.stringify(shapes), n, String(reps)], { env, encoding: 'utf8' });
    return JSON.parse(out) as PeerTimes;
  } catch {
    return null;
  }
}

export const shapeKey = ([m, k, n]: Shape) => `${m}x${k}x${n}`;
