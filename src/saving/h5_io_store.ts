/**
 * HDF5 files through h5wasm, the way Keras's H5IOStore (keras/src/saving/saving_lib.py) uses h5py:
 * groups, float32 datasets, string attributes. h5wasm's node build reads and writes real files.
 */
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dataset, File, Group, ready } from 'h5wasm/node';
import { Tensor } from '../backend/tensor.js';
import { tempPathBeside } from './file_utils.js';

export type { File, Group };

/** The 8 bytes every HDF5 file starts with (when it has no user block, as h5py writes them). */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Opens an HDF5 file. For reading, the file must exist and carry the HDF5 signature, so a
 * foreign file fails here with its name rather than inside the HDF5 library.
 */
export async function openH5(path: string, mode: 'r' | 'w', label = path): Promise<File> {
  await ready;
  if (mode === 'r') {
    if (!existsSync(path)) throw new Error(`No file or directory found at ${label}`);
    const head = Buffer.alloc(8);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 8, 0);
    } finally {
      closeSync(fd);
    }
    if (HDF5_SIGNATURE.some((b, i) => head[i] !== b)) throw new Error(`${label} is not an HDF5 file (no HDF5 signature)`);
  }
  return new File(path, mode);
}

/** The group at `path`, or null when there is none (or something else is there). */
export function getGroup(file: File, path: string): Group | null {
  const entity = path === '' || path === '/' ? file : file.get(path);
  return entity instanceof Group ? entity : null;
}

/** Creates the group at `path` and any missing parents (h5py's require_group). */
export function requireGroup(file: File, path: string): Group {
  let group: Group = file;
  for (const part of path.split('/').filter(Boolean)) {
    const child = group.get(part);
    group = child instanceof Group ? child : group.create_group(part);
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
    return entity instanceof Dataset ? [[k, entity] as [string, Dataset]] : [];
  });
}

/** A string (or list of strings) attribute, or null when absent. */
export function readStringAttr(entity: Group | Dataset, name: string): string | string[] | null {
  if (!(name in entity.attrs)) return null;
  const value = entity.get_attribute(name, true);
  if (Array.isArray(value)) return value.map(String);
  return String(value);
}

/**
 * Runs `use` on HDF5 content held in memory (a zip member, a browser upload): h5wasm's node build
 * opens real files, so the bytes go to a temporary file that is removed afterwards.
 */
export async function withH5Bytes<T>(bytes: Uint8Array, label: string, use: (file: File) => T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'keras-ts-'));
  const path = join(dir, 'weights.h5');
  try {
    writeFileSync(path, bytes);
    const file = await openH5(path, 'r', label);
    try {
      return use(file);
    } finally {
      file.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes an HDF5 file with `fill` and returns its bytes (for a zip member); `near` is a path in the folder to use. */
export async function h5Bytes(near: string, fill: (file: File) => void): Promise<Uint8Array> {
  const path = tempPathBeside(near);
  try {
    const file = await openH5(path, 'w');
    try {
      fill(file);
    } finally {
      file.close();
    }
    return readFileSync(path);
  } finally {
    rmSync(path, { force: true });
  }
}
