/**
 * The layout of the thread pool's control block: a small SharedArrayBuffer, separate from the
 * engine memory, through which the calling thread hands a job to the workers.
 */
export const GEN = 0; // bumped once per job; workers wait on it
export const DONE = 1; // workers that finished the current job
export const FN = 2; // index of the kernel export to run, -1 to stop
export const NARGS = 3;
export const ERROR = 4; // 1 + the worker index that trapped, 0 when none did
export const RANGES = 8; // [start, end) of work units for thread t at RANGES + 2t
export const MAX_THREADS = 28;
export const MAX_ARGS = 32;
export const CONTROL_INTS = RANGES + 2 * MAX_THREADS;

/** What a worker receives once, at start-up. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  args: SharedArrayBuffer;
  tid: number;
}

/** The kernel exports in a fixed order, so a job can name one by index. */
export function kernelNames(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
}

/** Polls of the control block before a thread falls back to Atomics.wait: back-to-back kernels
 *  then skip the wake-up latency, while idle threads still sleep. */
export const SPIN = 20000;
