/**
 * What differs between Node and browsers: reading the kernel module, enabling relaxed SIMD,
 * starting workers, and whether this thread may block in Atomics.wait.
 */

export const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;

/** The bytes of a file shipped next to the compiled library (dist/wasm/...). */
export async function readAsset(relativeToDist: string): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL(`../../${relativeToDist}`, import.meta.url);
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`keras-ts: could not load ${url} (HTTP ${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Node 20 compiles relaxed SIMD only behind a V8 flag. Setting it at run time before compiling
 * works, and workers started afterwards inherit it. Browsers that support it need nothing.
 */
export async function enableRelaxedSimd(): Promise<void> {
  if (!isNode) return;
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

export async function hardwareThreads(): Promise<number> {
  if (isNode) return (await import('node:os')).availableParallelism();
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/** A started engine worker, Node's or the browser's. */
export interface EngineWorker {
  terminate(): void;
}

/**
 * Starts a worker, hands it `init`, and resolves once it answers that it is serving. The
 * worker then listens to shared memory only, so no message handler stays attached.
 */
export async function startWorker(url: URL, init: unknown): Promise<EngineWorker> {
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(url);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.postMessage(init);
    });
    worker.removeAllListeners();
    worker.unref(); // idle engine threads must not keep the process alive
    return { terminate: () => void worker.terminate() };
  }
  const worker = new Worker(url, { type: 'module' });
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(new Error(`keras-ts: an engine worker failed to start: ${e.message}`));
    worker.postMessage(init);
  });
  worker.onmessage = null;
  worker.onerror = null;
  return { terminate: () => worker.terminate() };
}

/** Browsers forbid Atomics.wait on the main thread; there the pool spins instead. */
export function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}
