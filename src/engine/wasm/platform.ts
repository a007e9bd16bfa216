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

/** A started worker, Node's or the browser's, reduced to what the thread pool needs. */
export interface EngineWorker {
  post(message: unknown): void;
  onMessage(handler: (message: unknown) => void): void;
  onError(handler: (error: unknown) => void): void;
  terminate(): void;
}

export async function startWorker(url: URL): Promise<EngineWorker> {
  if (isNode) {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(url);
    worker.unref(); // idle engine threads must not keep the process alive
    return {
      post: (m) => worker.postMessage(m),
      onMessage: (h) => worker.on('message', h),
      onError: (h) => worker.on('error', h),
      terminate: () => void worker.terminate(),
    };
  }
  const worker = new Worker(url, { type: 'module' });
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (h) => worker.addEventListener('message', (e) => h(e.data)),
    onError: (h) => worker.addEventListener('error', (e) => h(e)),
    terminate: () => worker.terminate(),
  };
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
