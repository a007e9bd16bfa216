/**
 * The WASM engine's runtime: one shared WebAssembly.Memory, the kernel module instantiated on
 * it, a thread pool, and a stack-like arena for the buffers of each kernel call.
 *
 * Tensors the user holds own ordinary JS typed arrays, so the garbage collector frees them. A
 * kernel call copies its inputs into the arena (unless they already live in engine memory),
 * runs, copies its outputs out, and releases the arena to where it was. Workspaces are the
 * exception: the trainer opens one per step, the step's tensors are allocated in engine memory
 * below the arena, so kernels use them in place, and closing it frees them all at once. Outside
 * a workspace engine memory holds nothing after a call returns.
 */
import type { Workspace } from '../kernels.js';
import { kernelNames } from './control.js';
import { enableRelaxedSimd, hardwareThreads, readAsset } from './platform.js';
import { ThreadPool } from './thread_pool.js';

type Kernel = (...args: number[]) => number | void;
type Typed = Float32Array | Int32Array;

const PAGE = 65536;
const MAX_PAGES = 65536; // wasm32: 4 GiB
const ALIGN = 64; // one cache line; also keeps every v128 load aligned

/** Below this many flops a kernel runs on the calling thread: a dispatch costs ~16 µs. */
export const MIN_PARALLEL_FLOPS = 1 << 20;

export interface EngineOptions {
  /** Threads including the calling one; default: every core the platform reports, at most 8. */
  threads?: number;
  /** Force the plain SIMD build even where relaxed SIMD is available. */
  plainSimd?: boolean;
}

export class WasmRuntime {
  private top: number;
  /** Kernel calls under way: allocations inside one are scratch that dies with the call. */
  private calls = 0;
  private openWorkspaces = 0;
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private readonly byName: Map<string, number>;

  private constructor(
    readonly memory: WebAssembly.Memory,
    private readonly kernels: Kernel[],
    names: string[],
    readonly pool: ThreadPool,
    /** True when the relaxed-SIMD (FMA) build is running. */
    readonly relaxed: boolean,
  ) {
    this.byName = new Map(names.map((n, i) => [n, i]));
    this.top = align(Number(this.fn('heap_base')()));
    this.buffers.add(memory.buffer);
  }

  static async create(options: EngineOptions = {}): Promise<WasmRuntime> {
    const relaxed = !options.plainSimd && (await relaxedSimdAvailable());
    const bytes = await readAsset(relaxed ? 'wasm/kernels.relaxed.wasm' : 'wasm/kernels.simd.wasm');
    const module = await WebAssembly.compile(bytes);
    const memory = new WebAssembly.Memory({ initial: 256, maximum: MAX_PAGES, shared: true });
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const names = kernelNames(module);
    const kernels = names.map((n) => instance.exports[n] as Kernel);
    const threads = options.threads ?? Math.min(8, await hardwareThreads());
    const pool = await ThreadPool.start(module, memory, kernels as ((...a: number[]) => void)[], threads);
    return new WasmRuntime(memory, kernels, names, pool, relaxed);
  }

  get threads(): number {
    return this.pool.threads;
  }

  /** A kernel export, for calls on the current thread. */
  fn(name: string): Kernel {
    return this.kernels[this.index(name)];
  }

  /**
   * Runs kernel export `name(start, end, tid, ...args)` over [0, units), split across the
   * threads when the whole job is worth more than MIN_PARALLEL_FLOPS.
   */
  parallel(name: string, units: number, args: readonly number[], flops: number): void {
    if (units <= 0) return;
    this.pool.run(this.index(name), units, args, flops >= MIN_PARALLEL_FLOPS);
  }

  /**
   * One kernel call's worth of arena: `body` gets the inputs' and outputs' addresses in engine
   * memory (0 for null), may allocate scratch with `alloc`, and when it returns the outputs are
   * copied back and the arena released, even if it throws.
   */
  call<T>(inputs: readonly (Typed | null)[], outputs: readonly (Typed | null)[], body: (inPtrs: number[], outPtrs: number[]) => T): T {
    const mark = this.top;
    this.calls++;
    try {
      const inPtrs = inputs.map((a) => (a ? this.place(a, true) : 0));
      const outPtrs = outputs.map((a) => (a ? this.place(a, false) : 0));
      const result = body(inPtrs, outPtrs);
      outputs.forEach((a, i) => {
        if (a && !this.owns(a)) a.set(this.view(a, outPtrs[i], a.length));
      });
      return result;
    } finally {
      this.top = mark;
      this.calls--;
    }
  }

  /**
   * A workspace on top of the engine memory in use. Null when the memory is not shared: growing
   * a non-shared memory detaches its buffer, and every workspace tensor's view with it.
   */
  openWorkspace(): Workspace | null {
    if (typeof SharedArrayBuffer === 'undefined' || !(this.memory.buffer instanceof SharedArrayBuffer)) return null;
    const mark = this.top;
    const depth = ++this.openWorkspaces;
    const reserve = (bytes: number): number => {
      if (depth !== this.openWorkspaces) throw new Error('keras-ts engine: allocation in a workspace that is not the innermost open one');
      if (this.calls > 0) throw new Error('keras-ts engine: a workspace cannot allocate during a kernel call');
      return this.alloc(bytes);
    };
    return {
      floats: (size, zeroed) => {
        const values = this.f32(reserve(size * 4), size);
        return zeroed ? values.fill(0) : values;
      },
      ints: (size) => this.i32(reserve(size * 4), size).fill(0),
      holds: (values) => this.owns(values),
      close: () => {
        if (depth !== this.openWorkspaces) throw new Error('keras-ts engine: workspaces must close innermost first');
        this.top = mark;
        this.openWorkspaces--;
      },
    };
  }

  /** Arena bytes valid until the enclosing `call` returns. */
  alloc(bytes: number): number {
    const ptr = this.top;
    const end = align(ptr + bytes);
    const needed = Math.ceil(end / PAGE) - this.memory.buffer.byteLength / PAGE;
    if (needed > 0) {
      const pages = this.memory.buffer.byteLength / PAGE;
      if (pages + needed > MAX_PAGES) {
        throw new Error(`keras-ts engine: out of memory: a kernel needs ${end} bytes of engine memory, and wasm32 memory stops at 4 GiB`);
      }
      // Grow geometrically so a slowly growing workload does not grow memory on every call.
      this.memory.grow(Math.min(MAX_PAGES - pages, Math.max(needed, pages >> 2)));
      this.buffers.add(this.memory.buffer);
    }
    this.top = end;
    return ptr;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }

  /** Engine memory currently reserved, in bytes. */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  close(): void {
    this.pool.close();
  }

  private index(name: string): number {
    const i = this.byName.get(name);
    if (i === undefined) throw new Error(`keras-ts engine: the kernel module has no export '${name}'`);
    return i;
  }

  private owns(a: ArrayBufferView): boolean {
    return this.buffers.has(a.buffer);
  }

  private place(a: Typed, copyIn: boolean): number {
    if (this.owns(a)) return a.byteOffset;
    const ptr = this.alloc(a.byteLength);
    if (copyIn) this.view(a, ptr, a.length).set(a);
    return ptr;
  }

  private view(a: Typed, ptr: number, length: number): Typed {
    return a instanceof Float32Array ? this.f32(ptr, length) : this.i32(ptr, length);
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** Whether this runtime compiles relaxed SIMD: a module with one relaxed_madd must validate. */
async function relaxedSimdAvailable(): Promise<boolean> {
  await enableRelaxedSimd();
  // (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd)
  const probe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11,
    0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
  ]);
  return WebAssembly.validate(probe);
}
