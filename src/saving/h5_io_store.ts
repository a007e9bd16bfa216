/**
 * HDF5 files through h5wasm, the way Keras's H5IOStore (keras/src/saving/saving_lib.py) uses h5py:
 * groups, float32 datasets, string attributes. Files live only in h5wasm's in-memory file system
 * (its environment-neutral build), so the same code runs in Node and in browsers; reading and
 * writing the disk is file_utils's business.
 */
import type * as H5 from 'h5wasm';
import type { Dataset, File, Group } from 'h5wasm';
import { Tensor } from '../backend/tensor.js';
import { fileFormat } from './file_utils.js';

export type { File, Group };

/**
 * h5wasm, loaded by the first file read or written: it embeds HDF5 compiled to WebAssembly
 * (4 MB of the browser bundle, ~50 ms and ~10 MB at start-up in Node) that most programs never
 * use. The synchronous helpers below run only inside withH5Bytes/h5Bytes, after the load.
 */
let h5: typeof H5 | null = null;
type MemoryFs = Awaited<typeof H5.ready>['FS'];
let loading: Promise<MemoryFs> | null = null;

/** h5wasm's in-memory file system; HDF5's errors become exceptions carrying HDF5's error stack instead of being printed to stderr. */
function memoryFs(): Promise<MemoryFs> {
  loading ??= import('h5wasm').then(async (module) => {
    const h5Module = await module.ready;
    h5Module.activate_throwing_error_handler();
    h5 = module;
    return h5Module.FS;
  });
  return loading;
}

function loaded(): typeof H5 {
  if (!h5) throw new Error('keras-ts: h5wasm is used before it was loaded (withH5Bytes or h5Bytes load it)');
  return h5;
}

export function isGroup(entity: unknown): entity is Group {
  return entity instanceof loaded().Group;
}

export function isDataset(entity: unknown): entity is Dataset {
  return entity instanceof loaded().Dataset;
}

let counter = 0;

/**
 * Runs `use` on the HDF5 file whose bytes are given, then closes and forgets the file. Content
 * that is not HDF5, or is truncated or corrupt, fails with an error naming `label` (never inside
 * the HDF5 library).
 */
export async function withH5Bytes<T>(bytes: Uint8Array, label: string, use: (file: File) => T): Promise<T> {
  if (fileFormat(bytes) !== 'hdf5') throw new Error(`${label} is not an HDF5 file (no HDF5 signature)`);
  const fs = await memoryFs();
  const path = `/keras-ts-${counter++}.h5`;
  fs.writeFile(path, bytes);
  let file: File | null = null;
  try {
    file = new (loaded().File)(path, 'r');
    return use(file);
  } catch (error) {
    throw fromHdf5Error(error, label);
  } finally {
    file?.close();
    fs.unlink(path);
  }
}

/** Writes an HDF5 file with `fill` and returns its bytes. */
export async function h5Bytes(fill: (file: File) => void): Promise<Uint8Array> {
  const fs = await memoryFs();
  const path = `/keras-ts-${counter++}.h5`;
  const file = new (loaded().File)(path, 'w');
  try {
    try {
      fill(file);
    } finally {
      file.close();
    }
    return fs.readFile(path);
  } finally {
    fs.unlink(path);
  }
}

/**
 * An error raised by the HDF5 library, restated with the file's name and HDF5's innermost reason
 * ("truncated file: eof = 500, ..."); other errors are returned as they are.
 */
function fromHdf5Error(error: unknown, label: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.startsWith('HDF5-DIAG')) return error;
  const reasons = [...message.matchAll(/#\d+: .* in [\w.]+\(\): (.*)/g)].map((m) => m[1]);
  return new Error(`${label} is a truncated or corrupt HDF5 file (HDF5: ${reasons.at(-1) ?? message.split('\n')[0]})`);
}

/** The group at `path`, or null when there is none (or something else is there). */
export function getGroup(file: File, path: string): Group | null {
  const entity = path === '' || path === '/' ? file : file.get(path);
  return isGroup(entity) ? entity : null;
}

/** Creates the group at `path` under `root` (a file or a group) and any missing parents (h5py's require_group). */
export function requireGroup(root: Group, path: string): Group {
  let group = root;
  for (const part of path.split('/').filter(Boolean)) {
    const child = group.get(part);
    group = isGroup(child) ? child : group.create_group(part);
  }
  return group;
}

/** Writes a tensor as a dataset: float32 as `<f4`; integers as `<i8`, the dtype of Keras's `iterations`. */
export function writeDataset(group: Group, name: string, value: Tensor): void {
  const data = value.dtype === 'float32' ? Float32Array.from(value.values as Float32Array)
    : BigInt64Array.from(Array.from(value.values as ArrayLike<number>, (v) => BigInt(v)));
  group.create_dataset({ name, data, shape: [...value.shape] });
}

/** Reads a numeric dataset as a tensor: floats as float32, integers as int32. */
export function readDataset(dataset: Dataset, label: string): Tensor {
  const value = dataset.value;
  const shape = dataset.shape ?? [];
  const values = typeof value === 'number' || typeof value === 'bigint' ? [value] : value;
  if (values instanceof Float32Array || values instanceof Float64Array) return new Tensor(Float32Array.from(values), shape, 'float32');
  const isFloat = dataset.metadata.type === 1;  // H5T_FLOAT
  if (Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    const numbers = Array.from(values as ArrayLike<number | bigint>, Number);
    return isFloat ? new Tensor(Float32Array.from(numbers), shape, 'float32') : new Tensor(Int32Array.from(numbers), shape, 'int32');
  }
  throw new Error(`${label}: dataset of an unsupported type (${JSON.stringify(dataset.dtype)})`);
}

/** The datasets of a group in key order: '0', '1', ... numerically (Keras's vars), else by name. */
export function datasetsOf(group: Group): [string, Dataset][] {
  const keys = group.keys();
  const numeric = keys.every((k) => /^\d+$/.test(k));
  keys.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  return keys.flatMap((k) => {
    const entity = group.get(k);
    return isDataset(entity) ? [[k, entity] as [string, Dataset]] : [];
  });
}

/** A string (or list of strings) attribute, or null when absent. */
export function readStringAttr(entity: Group | Dataset, name: string): string | string[] | null {
  if (!(name in entity.attrs)) return null;
  const value = entity.get_attribute(name, true);
  if (Array.isArray(value)) return value.map(String);
  return String(value);
}
