/**
 * What differs between Node and browsers: reading the kernel module, enabling relaxed SIMD,
 * starting workers, whether threads can share memory, and whether this thread may block in
 * Atomics.wait.
 */
import { fetchBytes } from '../../utils/web_io.js';

export const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;

/**
 * Set by scripts/bundle.mjs to './': the browser bundle is one file with wasm/ beside it, while
 * the compiled library keeps this file two folders below dist/.
 */
declare const KERAS_TS_ASSETS: string | undefined;
const assetRoot = new URL(typeof KERAS_TS_ASSETS === 'string' ? KERAS_TS_ASSETS : '../../', import.meta.url);

/** The bytes of a file shipped next to the compiled library (dist/wasm/...) or the bundle. */
export async function readAsset(relativeToDist: string): Promise<Uint8Array<ArrayBuffer>> {
  const url = new URL(relativeToDist, assetRoot);
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(url));
  }
  return fetchBytes(url);
}

/**
 * Fails with a clear message where WebAssembly has no SIMD (the kernels need at least the plain
 * SIMD128 build): otherwise compiling them fails deep inside the engine with an opcode error.
 */
export function requireWasmSimd(): void {
  // (func (result v128) v128.const i32x4 0 0 0 0)
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
  ]);
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(probe)) {
    throw new Error('keras-ts needs WebAssembly with SIMD (Chrome/Edge 91+, Firefox 89+, Safari 16.4+, Node 16.4+); ' +
      'this runtime does not validate a WebAssembly SIMD instruction.');
  }
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

/**
 * The threads the engine may use. A page that is not cross-origin isolated cannot hand shared
 * memory to workers, so the engine runs on the calling thread alone, and says why once.
 */
export async function hardwareThreads(): Promise<number> {
  if (isNode) return (await import('node:os')).availableParallelism();
  if (!globalThis.crossOriginIsolated) {
    console.warn('keras-ts: this page is not cross-origin isolated, so browsers forbid sharing memory with workers: ' +
      'the engine runs on 1 thread. Serve the page with the headers "Cross-Origin-Opener-Policy: same-origin" and ' +
      '"Cross-Origin-Embedder-Policy: require-corp" to train on every core.');
    return 1;
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/**
 * A buffer for the thread pool's control block: shared, or, where the page is not cross-origin
 * isolated and SharedArrayBuffer does not exist, a plain one (the pool then has no workers).
 */
export function sharedBuffer(bytes: number): ArrayBuffer | SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
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
    // A worker script that fails to load fires a plain Event, with no message of its own.
    worker.onerror = (e) => reject(new Error(`keras-ts: an engine worker failed to start: ${e.message ?? `could not load ${url}`}`));
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
