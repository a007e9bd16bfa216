/**
 * An engine thread: instantiates the kernel module on the shared memory, then runs its share
 * of each job the calling thread posts in the control block, until told to stop.
 */
import { DONE, ERROR, FN, GEN, NARGS, RANGES, SPIN, kernelNames, type WorkerInit } from './control.js';
import { isNode } from './platform.js';

type Kernel = (...args: number[]) => void;

function serve(init: WorkerInit, reply: (m: unknown) => void): void {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const kernels = kernelNames(init.module).map((n) => instance.exports[n] as Kernel);
  const control = new Int32Array(init.control);
  const args = new Float64Array(init.args);
  // Read the job counter before saying ready: a job posted right after start-up bumps it, and
  // a worker that read it later would take that job for an old one and never run it.
  let seen = Atomics.load(control, GEN);
  reply('ready');
  for (;;) {
    for (let i = 0; i < SPIN && Atomics.load(control, GEN) === seen; i++);
    Atomics.wait(control, GEN, seen);
    seen = Atomics.load(control, GEN);
    const fn = Atomics.load(control, FN);
    if (fn < 0) return;
    const start = control[RANGES + 2 * init.tid];
    const end = control[RANGES + 2 * init.tid + 1];
    if (start < end) {
      try {
        kernels[fn](start, end, init.tid, ...args.subarray(0, control[NARGS]));
      } catch {
        Atomics.store(control, ERROR, init.tid + 1);
      }
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}

if (isNode) {
  const { parentPort } = await import('node:worker_threads');
  parentPort!.once('message', (init: WorkerInit) => serve(init, (m) => parentPort!.postMessage(m)));
} else {
  const scope = globalThis as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };
  scope.onmessage = (e) => {
    scope.onmessage = null;
    serve(e.data as WorkerInit, (m) => scope.postMessage(m));
  };
}
