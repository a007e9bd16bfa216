/**
 * A minimal, restricted reader of Python pickles, for the CIFAR batches: dicts, lists, tuples,
 * numbers, strings and NumPy arrays, the opcodes of protocols 2 to 4. Like Keras's
 * `RestrictedUnpickler` (keras/src/datasets/npz_utils.py) it rebuilds NumPy arrays and refuses
 * every other global, so a file cannot run code. Python 2 strings are read as bytes, as Keras's
 * `encoding="bytes"` does; dict keys that are bytes become strings.
 */

/** A uint8 NumPy array from a pickle: its shape and bytes (a view into the pickle). */
export class PickledArray {
  shape: number[] = [];
  data: Uint8Array = new Uint8Array(0);
}

/** A NumPy dtype from a pickle, e.g. `'u1'`. */
export class PickledDtype {
  constructor(readonly name: string) {}
}

export type PyValue =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | PyValue[]
  | Map<string | number, PyValue>
  | PickledArray
  | PickledDtype
  | PyGlobal;

/** One of the allowed globals: `numpy.ndarray`, `numpy.dtype` or `numpy._reconstruct`. */
class PyGlobal {
  constructor(readonly name: 'ndarray' | 'dtype' | '_reconstruct') {}
}

// Keras: npz_utils.py _ALLOWED_PICKLE_GLOBALS.
const ALLOWED_GLOBALS: Record<string, PyGlobal> = {
  'numpy.ndarray': new PyGlobal('ndarray'),
  'numpy.dtype': new PyGlobal('dtype'),
  'numpy.core.multiarray._reconstruct': new PyGlobal('_reconstruct'),
  'numpy._core.multiarray._reconstruct': new PyGlobal('_reconstruct'),
};

const MARK = Symbol('mark');

/** The object in a pickle's bytes. `file` names it in errors. */
export function unpickle(bytes: Uint8Array, file: string): PyValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Array<PyValue | typeof MARK> = [];
  const memo = new Map<number, PyValue>();
  let pos = 0;
  let opcodeAt = 0;
  const fail: (what: string) => never = (what) => {
    throw new Error(`${file} is not a valid pickle of CIFAR data: ${what} (opcode at byte ${opcodeAt})`);
  };
  const take = (n: number): Uint8Array => {
    if (pos + n > bytes.length) fail(`truncated: ${n} bytes needed at byte ${pos}, the file has ${bytes.length}`);
    pos += n;
    return bytes.subarray(pos - n, pos);
  };
  const u8 = () => take(1)[0];
  const u16 = () => view.getUint16((take(2), pos - 2), true);
  const u32 = () => view.getUint32((take(4), pos - 4), true);
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('truncated: a line without its newline');
    return new TextDecoder().decode(take(end + 1 - pos).subarray(0, -1));
  };
  const text = (n: number) => new TextDecoder().decode(take(n));
  const pop = (): PyValue => {
    const top = stack.pop();
    if (top === undefined || top === MARK) fail('stack underflow');
    return top as PyValue;
  };
  const popMark = (): PyValue[] => {
    const mark = stack.lastIndexOf(MARK);
    if (mark < 0) fail('no MARK on the stack');
    return stack.splice(mark).slice(1) as PyValue[];
  };
  const top = (): PyValue => {
    const value = stack[stack.length - 1];
    if (value === undefined || value === MARK) fail('stack underflow');
    return value as PyValue;
  };
  const setItems = (dict: PyValue, items: PyValue[]) => {
    if (!(dict instanceof Map)) fail('SETITEM on something that is not a dict');
    const map = dict as Map<string | number, PyValue>;
    for (let i = 0; i + 1 < items.length; i += 2) map.set(dictKey(items[i]), items[i + 1]);
  };
  const dictKey = (key: PyValue): string | number => {
    if (key instanceof Uint8Array) return String.fromCharCode(...key);
    if (typeof key === 'string' || typeof key === 'number') return key;
    return fail('a dict key that is not a string or a number');
  };
  const appendAll = (list: PyValue, items: PyValue[]) => {
    if (!Array.isArray(list)) fail('APPEND to something that is not a list');
    (list as PyValue[]).push(...items);
  };
  const global = (name: string): PyValue =>
    ALLOWED_GLOBALS[name] ??
    fail(`refusing to deserialize \`${name}\` while loading a Keras dataset; the file may be corrupted or malicious`);

  for (;;) {
    opcodeAt = pos;
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: take(8); break; // FRAME
      case 0x2e: return pop(); // STOP
      case 0x28: stack.push(MARK); break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: stack.push(view.getInt32((take(4), pos - 4), true)); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(littleEndianInt(take(u8()))); break; // LONG1
      case 0x47: stack.push(view.getFloat64((take(8), pos - 8))); break; // BINFLOAT
      case 0x55: stack.push(take(u8())); break; // SHORT_BINSTRING
      case 0x54: stack.push(take(u32())); break; // BINSTRING
      case 0x43: stack.push(take(u8())); break; // SHORT_BINBYTES
      case 0x42: stack.push(take(u32())); break; // BINBYTES
      case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
      case 0x58: stack.push(text(u32())); break; // BINUNICODE
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x6c: case 0x74: stack.push(popMark()); break; // LIST, TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push([pop(), b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push([pop(), b, c]); break; } // TUPLE3
      case 0x64: { const dict = new Map(); setItems(dict, popMark()); stack.push(dict); break; } // DICT
      case 0x61: { const item = pop(); appendAll(top(), [item]); break; } // APPEND
      case 0x65: { const items = popMark(); appendAll(top(), items); break; } // APPENDS
      case 0x73: { const value = pop(); const key = pop(); setItems(top(), [key, value]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x63: { const module = line(); stack.push(global(`${module}.${line()}`)); break; } // GLOBAL
      case 0x93: { const name = pop(); stack.push(global(`${pop()}.${name}`)); break; } // STACK_GLOBAL
      case 0x52: { const args = pop(); stack.push(reduce(pop(), args, fail)); break; } // REDUCE
      case 0x62: { const state = pop(); build(top(), state, fail); break; } // BUILD
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(Number(line()), top()); break; // PUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: case 0x6a: case 0x67: { // BINGET, LONG_BINGET, GET
        const key = op === 0x68 ? u8() : op === 0x6a ? u32() : Number(line());
        if (!memo.has(key)) fail(`memo key ${key} was never stored`);
        stack.push(memo.get(key)!);
        break;
      }
      default:
        fail(`unsupported opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
  }
}

/** A Python int stored as little-endian two's complement bytes (LONG1). */
function littleEndianInt(bytes: Uint8Array): number {
  let value = 0;
  for (let i = bytes.length - 1; i >= 0; i--) value = value * 256 + bytes[i];
  return bytes.length > 0 && bytes[bytes.length - 1] >= 0x80 ? value - 2 ** (8 * bytes.length) : value;
}

/** Calls an allowed global: `_reconstruct(ndarray, (0,), b'b')` or `dtype('u1', False, True)`. */
function reduce(callable: PyValue, args: PyValue, fail: (what: string) => never): PyValue {
  if (!(callable instanceof PyGlobal) || !Array.isArray(args)) return fail('REDUCE of something that is not callable');
  if (callable.name === '_reconstruct') return new PickledArray();
  const name = args[0] instanceof Uint8Array ? String.fromCharCode(...args[0]) : args[0];
  if (callable.name === 'dtype' && typeof name === 'string') return new PickledDtype(name);
  return fail(`unsupported call of numpy.${callable.name}`);
}

/**
 * NumPy's `__setstate__`: a dtype's state is `(3, '|', ...)`; an array's is
 * `(version, shape, dtype, isFortran, rawdata)`, and only C-order uint8 data is accepted.
 */
function build(target: PyValue, state: PyValue, fail: (what: string) => never): void {
  if (target instanceof PickledDtype) return;
  if (!(target instanceof PickledArray) || !Array.isArray(state) || state.length !== 5) {
    return fail('BUILD of something that is not a NumPy array');
  }
  const [, shape, dtype, fortran, raw] = state;
  if (!(dtype instanceof PickledDtype) || dtype.name !== 'u1') {
    return fail(`a NumPy array of dtype ${dtype instanceof PickledDtype ? dtype.name : '?'} (expected uint8)`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number')) return fail('a NumPy array without a shape');
  if (!(raw instanceof Uint8Array)) return fail('a NumPy array without raw bytes');
  const dims = shape as number[];
  if (fortran === true && dims.filter((d) => d > 1).length > 1) return fail('a NumPy array in Fortran order');
  const size = dims.reduce((a, b) => a * b, 1);
  if (raw.length !== size) {
    return fail(`wrong length: a NumPy array of shape (${dims.join(', ')}) needs ${size} bytes, found ${raw.length}`);
  }
  target.shape = dims;
  target.data = raw;
}
