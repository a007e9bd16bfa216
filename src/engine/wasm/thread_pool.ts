/**
 * Runs a kernel export over a range of work units split across the calling thread and
 * `threads - 1` workers that share the engine memory. Each thread gets one contiguous slice,
 * so a kernel whose units are independent gives the same bits for any thread count.
 */
import {
  CONTROL_INTS, DONE, ERROR, FN, GEN, MAX_ARGS, MAX_THREADS, NARGS, RANGES, SPIN, type WorkerInit,
} from './control.js';
import { canBlock, sharedBuffer, startWorker, type EngineWorker } from './platform.js';

type Kernel = (...args: number[]) => void;

export class ThreadPool {
  private readonly control = new Int32Array(sharedBuffer(CONTROL_INTS * 4));
  private readonly args = new Float64Array(sharedBuffer(MAX_ARGS * 8));
  private readonly blocking = canBlock();

  private constructor(
    readonly threads: number,
    private readonly kernels: Kernel[],
    private readonly workers: EngineWorker[],
  ) {}

  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, kernels: Kernel[], threads: number): Promise<ThreadPool> {
    if (!(threads >= 1 && threads <= MAX_THREADS && Number.isInteger(threads))) {
      throw new Error(`keras-ts engine: threads must be an integer in [1, ${MAX_THREADS}], received ${threads}`);
    }
    const pool = new ThreadPool(threads, kernels, []);
    const url = new URL('./worker.js', import.meta.url);
    pool.workers.push(...await Promise.all(Array.from({ length: threads - 1 }, (_, i) => {
      const init: WorkerInit = {
        module, memory, control: pool.control.buffer as SharedArrayBuffer, args: pool.args.buffer as SharedArrayBuffer, tid: i + 1,
      };
      return startWorker(url, init);
    })));
    return pool;
  }

  /**
   * Calls kernel `fn(start, end, tid, ...args)` on every thread for its slice of [0, units).
   * With `split` false (work too small to pay the ~16 µs dispatch) the caller does it all.
   */
  run(fn: number, units: number, args: readonly number[], split: boolean): void {
    const threads = split ? Math.min(this.threads, units) : 1;
    if (threads <= 1) {
      this.kernels[fn](0, units, 0, ...args);
      return;
    }
    const c = this.control;
    for (let t = 0; t < this.threads; t++) {
      c[RANGES + 2 * t] = t < threads ? Math.floor((units * t) / threads) : 0;
      c[RANGES + 2 * t + 1] = t < threads ? Math.floor((units * (t + 1)) / threads) : 0;
    }
    this.args.set(args);
    c[FN] = fn;
    c[NARGS] = args.length;
    c[ERROR] = 0;
    Atomics.store(c, DONE, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    try {
      this.kernels[fn](0, c[RANGES + 1], 0, ...args);
    } finally {
      this.waitForWorkers(); // never leave workers writing into memory the caller reuses
    }
    const failed = Atomics.load(c, ERROR);
    if (failed) throw new Error(`keras-ts engine: kernel #${fn} trapped on worker thread ${failed - 1}`);
  }

  private waitForWorkers(): void {
    const c = this.control;
    const workers = this.threads - 1;
    for (let i = 0; Atomics.load(c, DONE) < workers; i++) {
      if (i < SPIN || !this.blocking) continue;
      const done = Atomics.load(c, DONE);
      if (done < workers) Atomics.wait(c, DONE, done, 10);
    }
  }

  /** Stops the workers; the pool is unusable afterwards. */
  close(): void {
    this.control[FN] = -1;
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    for (const w of this.workers) w.terminate();
  }
}
