/**
 * The disk side of saving, and the recognition of a file's format from its first bytes. Everything
 * else in keras.saving works on bytes in memory, so loading from an ArrayBuffer or a Uint8Array
 * never touches the disk and works in browsers; `node:fs` is imported only when a path is given.
 * In a browser a path is a URL to load from, and a file to save becomes a download.
 */
import { isNode } from '../engine/wasm/platform.js';
import { downloadBytes, fetchBytes } from '../utils/web_io.js';

/** What the loaders accept: a path (Node) or a URL (browsers), or the file's bytes. */
export type ModelSource = string | Uint8Array | ArrayBuffer;

/** How errors name a file given as bytes. */
export const IN_MEMORY_LABEL = '<in-memory file>';

let counter = 0;

/**
 * Writes `bytes` to `target` whole or not at all: to a temporary file in the target's folder
 * (so the rename is atomic), then renamed over the target. On failure the temporary file is
 * removed, and a previous file under the target name is left untouched. In a browser the user
 * gets the file as a download named after the target's last part.
 */
export async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  if (!isNode) return downloadBytes(target, bytes);
  const [{ renameSync, rmSync, writeFileSync }, { basename, dirname, join }] =
    await Promise.all([import('node:fs'), import('node:path')]);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${counter++}.tmp`);
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The bytes of `source`: read from the path, or the buffer itself. `label` names it in errors. */
export async function readSource(source: ModelSource): Promise<{ bytes: Uint8Array; label: string }> {
  if (typeof source !== 'string') {
    return { bytes: source instanceof Uint8Array ? source : new Uint8Array(source), label: IN_MEMORY_LABEL };
  }
  if (!isNode) return { bytes: await fetchBytes(source), label: source };
  const { readFileSync } = await import('node:fs');
  try {
    return { bytes: readFileSync(source), label: source };
  } catch (error) {
    throw new Error(`No file or directory found at ${source} (${(error as Error).message})`);
  }
}

/** The signature of an HDF5 file: "\x89HDF\r\n\x1a\n". */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** A zip archive's first local file header: "PK\x03\x04". */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
}

/**
 * The format of a file from its content: 'zip' (a `.keras` file), 'hdf5' (`.weights.h5` or legacy
 * `.h5`), or null. The HDF5 signature sits at byte 0, or at 512, 1024, 2048... after a user block.
 */
export function fileFormat(bytes: Uint8Array): 'zip' | 'hdf5' | null {
  if (startsWith(bytes, ZIP_SIGNATURE)) return 'zip';
  for (let offset = 0; offset + HDF5_SIGNATURE.length <= bytes.length; offset = Math.max(512, offset * 2)) {
    if (startsWith(bytes, HDF5_SIGNATURE, offset)) return 'hdf5';
  }
  return null;
}
