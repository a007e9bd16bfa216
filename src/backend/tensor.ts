/**
 * Tensors: an immutable shape and dtype over values held in an ordinary JS typed array.
 *
 * Values live on the JS heap, not in the engine's WebAssembly memory, so the garbage collector
 * frees a tensor nobody references and users never dispose anything. The engine copies a
 * kernel's operands into its own memory for the length of one call (see engine/wasm/runtime.ts).
 * The one exception is a workspace (backend/workspace.ts): inside `fit`, `evaluate` and `predict`
 * each step's intermediate tensors live in engine memory, so kernels read and write them in
 * place, and the trainer releases them when the step ends.
 */

export type DType = 'float32' | 'int32' | 'uint8' | 'bool';
export type TypedArray = Float32Array | Int32Array | Uint8Array;
export type Shape = readonly number[];

/** Nested JS arrays of numbers (or booleans), as `tensor()` accepts and `toArray()` returns. */
export type NestedArray = number | boolean | NestedArray[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Shapes print as Keras prints them: `(2, 3)`, `(5,)`, `()`. */
export function formatShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/** Sees every tensor created while a workspace is open (set by backend/workspace.ts). */
let onCreate: ((t: Tensor) => void) | null = null;

export function setTensorCreationHook(hook: ((t: Tensor) => void) | null): void {
  onCreate = hook;
}

/** Points a tensor at other storage, or at none once its workspace is gone (null). */
export let setStorage: (t: Tensor, values: TypedArray | null) => void;

export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly size: number;
  #values: TypedArray | null;

  static {
    setStorage = (t, values) => {
      t.#values = values;
    };
  }

  constructor(values: TypedArray, shape: Shape, dtype: DType) {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new Error(`Tensor: ${values.length} values cannot have shape ${formatShape(shape)} (size ${size})`);
    }
    this.#values = values;
    this.size = size;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    onCreate?.(this);
  }

  /**
   * The values in row-major order. Internal: ops and kernels read it, nobody writes it after
   * construction. Users get copies through `dataSync()` and `toArray()`.
   */
  get values(): TypedArray {
    if (this.#values === null) {
      throw new Error(`Tensor of shape ${formatShape(this.shape)}: its values were released when the training or ` +
        'prediction step that computed it ended; keep a copy (dataSync()) inside the step, e.g. in a callback');
    }
    return this.#values;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** A copy of the values as a typed array (Float32Array, Int32Array, or Uint8Array for uint8/bool). */
  dataSync(): TypedArray {
    return this.values.slice();
  }

  /** The values as nested arrays (a number for a rank-0 tensor, booleans for bool). */
  toArray(): NestedArray {
    const read = (i: number): number | boolean => (this.dtype === 'bool' ? this.values[i] !== 0 : this.values[i]);
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.rank) return read(offset);
      const stride = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** A NumPy-like rendering, eliding the middle of long axes. */
  toString(): string {
    return `tensor(${formatValues(this)}, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
  }
}

const EDGE = 3; // items shown at each end of an axis longer than 2 * EDGE
const INDENT = 'tensor('.length;

function formatValues(t: Tensor): string {
  const format = (v: number): string => {
    if (t.dtype === 'bool') return v ? 'True' : 'False';
    if (t.dtype !== 'float32') return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
    const abs = Math.abs(v);
    return abs !== 0 && (abs < 1e-4 || abs >= 1e8) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
  };
  const render = (axis: number, offset: number): string => {
    if (axis === t.rank) return format(t.values[offset]);
    const n = t.shape[axis];
    const stride = sizeOf(t.shape.slice(axis + 1));
    const indices = n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    const items = indices.map((i) => (i < 0 ? '...' : render(axis + 1, offset + i * stride)));
    const separator = axis === t.rank - 1 ? ', ' : ',' + '\n'.repeat(t.rank - axis - 1) + ' '.repeat(INDENT + axis + 1);
    return `[${items.join(separator)}]`;
  };
  return render(0, 0);
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}
