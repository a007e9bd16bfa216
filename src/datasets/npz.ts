/**
 * Reading NumPy's `.npz` files (a zip of `.npy` arrays) for uint8 arrays, as `np.load` does for
 * keras/src/datasets/mnist.py. The `.npy` format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 * Only `readNpz` touches the disk (browsers load the same files from URLs).
 */
import { unzipSync } from 'fflate';
import { Tensor } from '../backend/tensor.js';
import type { Splits } from './idx.js';

/** The arrays of the `.npz` file at `path` by name (`x_train` for the member `x_train.npy`). */
export async function readNpz(path: string): Promise<Map<string, Tensor>> {
  const { readFile } = await import('node:fs/promises');
  const buffer = await readFile(path);
  return parseNpz(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), path);
}

/** The arrays of an `.npz` file's bytes by name; `file` names it in errors. */
export function parseNpz(bytes: Uint8Array, file: string): Map<string, Tensor> {
  let members: Record<string, Uint8Array>;
  try {
    if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new Error('it does not start with a zip signature');
    members = unzipSync(bytes);
  } catch (e) {
    throw new Error(`${file} is not a valid .npz (zip) file: ${(e as Error).message}`);
  }
  const arrays = new Map<string, Tensor>();
  for (const [name, data] of Object.entries(members)) {
    if (name.endsWith('.npy')) arrays.set(name.slice(0, -4), parseNpy(data, `${file}/${name}`));
  }
  return arrays;
}

/** The splits in an `.npz` file in Keras's layout (`x_train`, `y_train`, `x_test`, `y_test`, as mnist.npz). */
export function npzSplits(arrays: Map<string, Tensor>, file: string): Splits {
  const array = (name: string) => {
    const found = arrays.get(name);
    if (found === undefined) {
      throw new Error(`${file} has no array '${name}' (found: ${[...arrays.keys()].join(', ')})`);
    }
    return found;
  };
  return [[array('x_train'), array('y_train')], [array('x_test'), array('y_test')]];
}

/** The uint8 array in a `.npy` file's bytes, a view into `bytes`. `file` names it in errors. */
export function parseNpy(bytes: Uint8Array, file: string): Tensor {
  const fail: (what: string) => never = (what) => {
    throw new Error(`${file} is not a valid .npy file of uint8: ${what}`);
  };
  const magic = [0x93, ...'NUMPY'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0)));
  if (bytes.length < 10 || magic.some((c, i) => bytes[i] !== c)) fail('bad magic string (expected \\x93NUMPY)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) fail(`unknown format version ${major}`);
  const headerStart = major === 1 ? 10 : 12;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (bytes.length < headerStart + headerLength) fail('truncated header');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));

  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    fail(`unreadable header ${header.trim()}`);
  }
  if (!/^[|<>=]u1$/.test(descr)) fail(`dtype '${descr}' (expected '|u1' or '<u1')`);
  const shape = shapeText.split(',').filter((d) => d.trim() !== '').map(Number);
  if (fortran === 'True' && shape.filter((d) => d > 1).length > 1) fail('Fortran order is not supported');
  const size = shape.reduce((a, b) => a * b, 1);
  const data = bytes.subarray(headerStart + headerLength);
  if (data.length !== size) fail(`wrong length: shape (${shape.join(', ')}) needs ${size} bytes, found ${data.length}`);
  return new Tensor(data, shape, 'uint8');
}
