/** Small dataset files written by the tests: IDX, npz, CIFAR pickles, tar archives, and a local HTTP server. */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { locations } from './sources.js';

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'keras-ts-datasets-'));
}

/** Runs `fn` with `KERAS_HOME` set to a fresh temporary folder, which it receives. */
export async function withKerasHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const saved = process.env.KERAS_HOME;
  process.env.KERAS_HOME = tempDir();
  try {
    return await fn(process.env.KERAS_HOME);
  } finally {
    if (saved === undefined) delete process.env.KERAS_HOME;
    else process.env.KERAS_HOME = saved;
  }
}

/** Runs `fn` with `locations` changed by `changes`, restoring them after. */
export async function withLocations(changes: Partial<typeof locations>, fn: () => Promise<void>): Promise<void> {
  const saved = { ...locations };
  Object.assign(locations, changes);
  try {
    await fn();
  } finally {
    Object.assign(locations, saved);
  }
}

/** Values 0, 1, 2, ... (mod 256) for an array of `shape`, plus `offset`. */
export function ramp(shape: number[], offset = 0): Uint8Array {
  return Uint8Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (i + offset) % 256);
}

/** An IDX file of unsigned bytes. */
export function idxBytes(shape: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x800 + shape.length);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

/** Keras's four gzipped Fashion-MNIST files, small, with pixel values starting at `offset`. */
export function fashionMnistFiles(offset: number): Record<string, Uint8Array> {
  const file = (shape: number[]) => gzipSync(idxBytes(shape, ramp(shape, offset)));
  return {
    'train-images-idx3-ubyte.gz': file([2, 28, 28]),
    'train-labels-idx1-ubyte.gz': file([2]),
    't10k-images-idx3-ubyte.gz': file([1, 28, 28]),
    't10k-labels-idx1-ubyte.gz': file([1]),
  };
}

/** A version 1.0 `.npy` file of uint8, header padded to 64 bytes as NumPy writes it. */
export function npyBytes(shape: number[], data: Uint8Array, descr = '|u1'): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** An `.npz` file of the given arrays. */
export function npzBytes(arrays: Record<string, [number[], Uint8Array]>): Uint8Array {
  const members = Object.entries(arrays).map(([name, [shape, data]]) => [`${name}.npy`, npyBytes(shape, data)]);
  return zipSync(Object.fromEntries(members));
}

/**
 * A CIFAR batch as Python 2's cPickle writes it (protocol 2, strings as BINSTRING): a dict with
 * `data`, a uint8 array (N, 3072), and each label list of `labels`.
 */
export function cifarPickle(data: Uint8Array, labels: Record<string, number[]>): Uint8Array {
  const out: number[] = [];
  const bytes = (s: string) => [...new TextEncoder().encode(s)];
  const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24];
  const str = (s: string) => [0x55, s.length, ...bytes(s)]; // SHORT_BINSTRING
  const int = (n: number) => (n < 256 ? [0x4b, n] : [0x4d, n & 0xff, n >> 8]); // BININT1, BININT2
  out.push(0x80, 2, 0x7d, 0x71, 0, 0x28); // PROTO 2, EMPTY_DICT, BINPUT 0, MARK
  out.push(...str('data'));
  out.push(0x63, ...bytes('numpy.core.multiarray\n_reconstruct\n')); // GLOBAL
  out.push(0x63, ...bytes('numpy\nndarray\n'), ...int(0), 0x85, ...str('b'), 0x87, 0x52); // (ndarray, (0,), 'b') REDUCE
  out.push(0x28, ...int(1), ...int(data.length / 3072), ...int(3072), 0x86); // MARK 1 (N, 3072)
  out.push(0x63, ...bytes('numpy\ndtype\n'), ...str('u1'), ...int(0), ...int(1), 0x87, 0x52); // dtype('u1', 0, 1)
  // BUILD the dtype with its state (3, '|', None, None, None, -1, -1, 0).
  out.push(0x28, ...int(3), ...str('|'), 0x4e, 0x4e, 0x4e, 0x4a, ...u32(-1), 0x4a, ...u32(-1), ...int(0), 0x74, 0x62);
  out.push(0x89, 0x54, ...u32(data.length), ...data, 0x74, 0x62); // NEWFALSE, BINSTRING data, TUPLE, BUILD
  for (const [key, list] of Object.entries(labels)) {
    out.push(...str(key), 0x5d, 0x28, ...list.flatMap(int), 0x65); // EMPTY_LIST MARK ... APPENDS
  }
  out.push(...str('batch_label'), ...str('testing batch 1 of 1'), 0x75, 0x2e); // SETITEMS, STOP
  return Uint8Array.from(out);
}

/** A tar archive (ustar) of the given files; names ending in '/' are folders. */
export function tarBytes(files: Record<string, Uint8Array>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of Object.entries(files)) {
    const header = new Uint8Array(512);
    const put = (text: string, at: number) => header.set(new TextEncoder().encode(text), at);
    put(name, 0);
    put('0000644\0', 100);
    put(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    put(name.endsWith('/') ? '5' : '0', 156);
    put('ustar\x0000', 257);
    put('        ', 148);
    put(`${header.reduce((a, b) => a + b, 0).toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  blocks.reduce((at, b) => (out.set(b, at), at + b.length), 0);
  return out;
}

/**
 * Serves `files` (path -> bytes) on 127.0.0.1; other paths answer 500. Returns the base URL
 * (ending in '/'), the paths requested, and `close`.
 */
export async function serve(files: Record<string, Uint8Array>) {
  const requested: string[] = [];
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').slice(1);
    requested.push(path);
    const body = files[path];
    if (body === undefined) {
      response.writeHead(500, 'Internal Server Error').end();
    } else {
      response.writeHead(200, { 'content-length': body.length }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requested,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
