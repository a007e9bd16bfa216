/**
 * Downloading and caching files the way Keras does. Mirrors keras/src/utils/file_utils.py: the
 * same cache (`$KERAS_HOME` or `~/.keras`, subfolder `datasets`), file names, sha256/md5 checks and
 * archive extraction, so files Keras downloaded are found here and the other way round.
 */
import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { gunzipSync, unzipSync } from 'fflate';
import { Progbar } from './progbar.js';

/** Keras's base folder: `$KERAS_HOME` if set, else `~/.keras` (keras/src/backend/config.py). */
export function kerasHome(): string {
  return process.env.KERAS_HOME ?? join(homedir(), '.keras');
}

export interface GetFileOptions {
  /** The expected sha256 (64 hex digits) or md5 hash of the file. Checked after download. */
  fileHash?: string;
  /** Subfolder of the cache folder; an absolute path is used as is. Default: `'datasets'`. */
  cacheSubdir?: string;
  /** `'sha256'`, `'md5'` or `'auto'` (by the hash's length). Default: `'auto'`. */
  hashAlgorithm?: 'auto' | 'sha256' | 'md5';
  /** Whether to extract the file (tar, tar.gz or zip) into a folder named after `fname`. */
  extract?: boolean;
  /** The cache folder. Default: `kerasHome()`. */
  cacheDir?: string;
  /** Download even when the file is already in the cache. */
  forceDownload?: boolean;
}

/** Where `getFile` keeps a file: the downloaded file and, when extracting, the folder it extracts into. */
export interface CachePaths {
  downloadTarget: string;
  extractionDir: string | null;
}

/**
 * The paths `getFile(fname, origin, options)` uses in the cache, without touching the network.
 * Mirrors the naming in keras/src/utils/file_utils.py `get_file`: an extracted `fname` without a
 * dot is a folder, and its archive is kept beside it as `<fname>_archive`.
 */
export function cachePaths(fname: string, options: GetFileOptions = {}): CachePaths {
  if (fname.includes(sep) || fname.includes('/')) {
    throw new Error(
      'Paths are no longer accepted as the `fname` argument. To specify the file\'s parent directory, use the ' +
        `\`cache_dir\` argument. Received: fname=${fname}`,
    );
  }
  const datadir = join(writableBase(options.cacheDir ?? kerasHome()), options.cacheSubdir ?? 'datasets');
  if (!options.extract) return { downloadTarget: join(datadir, fname), extractionDir: null };
  const dot = fname.indexOf('.');
  if (dot >= 0) {
    return { downloadTarget: join(datadir, fname), extractionDir: join(datadir, `${fname.slice(0, dot)}_extracted`) };
  }
  return { downloadTarget: join(datadir, `${fname}_archive`), extractionDir: join(datadir, fname) };
}

/** Keras falls back to `/tmp/.keras` when the cache folder exists but is not writable. */
function writableBase(cacheDir: string): string {
  const base = cacheDir.startsWith('~') ? join(homedir(), cacheDir.slice(1)) : cacheDir;
  if (!existsSync(base)) return base;
  try {
    accessSync(base, constants.W_OK);
    return base;
  } catch {
    return join(existsSync('/tmp') ? '/tmp' : tmpdir(), '.keras');
  }
}

/**
 * Downloads a file from a URL if it is not already in the cache.
 *
 * By default the file at `origin` is downloaded to the cache folder `~/.keras` (or `$KERAS_HOME`),
 * into the subfolder `datasets`, under the name `fname`. A file whose hash does not match
 * `fileHash` is downloaded again. The download goes to a temporary file that is renamed into the
 * cache only after its hash matched, so a failed or corrupt download leaves nothing behind.
 *
 * Args:
 *   fname: The file's name in the cache. With `extract`, a name without a dot names the folder it
 *     is extracted into.
 *   origin: The file's URL.
 *   options: `fileHash`, `cacheSubdir`, `hashAlgorithm`, `extract`, `cacheDir`, `forceDownload`.
 *
 * Returns:
 *   The path of the file, or of the folder it was extracted into.
 *
 * Example:
 *
 * ```ts
 * const origin = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz';
 * const path = await keras.utils.getFile('mnist.npz', origin, {
 *   fileHash: '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1',
 * });
 * ```
 */
export async function getFile(fname: string, origin: string, options: GetFileOptions = {}): Promise<string> {
  const { downloadTarget, extractionDir } = cachePaths(fname || basename(new URL(origin).pathname), options);
  const algorithm = options.hashAlgorithm ?? 'auto';
  let download = options.forceDownload === true || !existsSync(downloadTarget);
  const { fileHash } = options;
  if (!download && fileHash !== undefined && !(await validateFile(downloadTarget, fileHash, algorithm))) {
    process.stdout.write(
      `A local file was found, but it seems to be incomplete or outdated because the ${algorithm} file hash does ` +
        `not match the original value of ${fileHash} so we will re-download the data.\n`,
    );
    download = true;
  }
  if (download) await downloadFile(origin, downloadTarget, fileHash, algorithm);
  if (extractionDir === null) return downloadTarget;
  await extractArchive(downloadTarget, extractionDir);
  return extractionDir;
}

/**
 * Downloads `origin` to `target` with a progress bar, through a temporary file in the same folder
 * that becomes `target` only once it is complete and its hash matched.
 */
export async function downloadFile(
  origin: string,
  target: string,
  fileHash?: string,
  algorithm: 'auto' | 'sha256' | 'md5' = 'auto',
): Promise<void> {
  process.stdout.write(`Downloading data from ${origin}\n`);
  mkdirSync(dirname(target), { recursive: true });
  const temp = join(mkdtempSync(join(dirname(target), '.download-')), basename(target));
  try {
    const hasher = createHash(resolveHashAlgorithm(algorithm, fileHash));
    const response = await fetch(origin).catch((e: Error) => {
      throw new Error(`URL fetch failure on ${origin}: ${(e.cause as Error | undefined)?.message ?? e.message}`);
    });
    if (!response.ok || response.body === null) {
      throw new Error(`URL fetch failure on ${origin}: ${response.status} -- ${response.statusText}`);
    }
    const total = Number(response.headers.get('content-length') ?? NaN);
    const bar = new Progbar(Number.isFinite(total) ? total : null);
    const file = await open(temp, 'w');
    try {
      const reader = response.body.getReader();
      let current = 0;
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        hasher.update(chunk.value);
        await file.write(chunk.value);
        current += chunk.value.length;
        bar.update(current);
      }
      if (!Number.isFinite(total)) bar.update(current, [], true);
    } finally {
      await file.close();
    }
    if (fileHash !== undefined && hasher.digest('hex') !== fileHash) {
      throw new Error(
        `Incomplete or corrupted file detected. The ${algorithm} file hash does not match the provided value of ` +
          `${fileHash}. (Downloaded from ${origin}; nothing was saved to ${target}.)`,
      );
    }
    await rename(temp, target);
  } finally {
    await rm(dirname(temp), { recursive: true, force: true });
  }
}

/** Keras's `resolve_hasher`: 'auto' means sha256 for a 64-digit hash, else md5. */
function resolveHashAlgorithm(algorithm: 'auto' | 'sha256' | 'md5', fileHash?: string): 'sha256' | 'md5' {
  if (algorithm === 'sha256' || (algorithm === 'auto' && fileHash?.length === 64)) return 'sha256';
  return 'md5';
}

/** The sha256 or md5 hash of a file, in hex. */
export async function hashFile(path: string, algorithm: 'auto' | 'sha256' | 'md5' = 'sha256'): Promise<string> {
  const hasher = createHash(resolveHashAlgorithm(algorithm));
  for await (const chunk of createReadStream(path)) hasher.update(chunk as Buffer);
  return hasher.digest('hex');
}

/** Whether the file's hash is `fileHash` (sha256 or md5, by `algorithm` or the hash's length). */
export async function validateFile(
  path: string,
  fileHash: string,
  algorithm: 'auto' | 'sha256' | 'md5' = 'auto',
): Promise<boolean> {
  return (await hashFile(path, resolveHashAlgorithm(algorithm, fileHash))) === fileHash;
}

/**
 * Extracts a tar, tar.gz or zip archive into the folder `path`, skipping members whose path would
 * leave it (keras/src/utils/file_utils.py `filter_safe_tarinfos`). The members go to a temporary
 * folder that replaces `path` once all are written, so a failure leaves no half-extracted folder.
 */
export async function extractArchive(file: string, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const temp = mkdtempSync(`${path}.partial-`);
  try {
    const bytes = new Uint8Array(await readFile(file));
    let members: Array<[string, Uint8Array]>;
    try {
      members = isZip(bytes) ? Object.entries(unzipSync(bytes)) : readTar(isGzip(bytes) ? gunzipSync(bytes) : bytes);
    } catch (e) {
      throw new Error(`Could not extract the archive ${file}: ${(e as Error).message}`);
    }
    for (const [name, data] of members) {
      const target = normalize(join(temp, name));
      if (isAbsolute(name) || !target.startsWith(temp + sep)) continue;
      if (name.endsWith('/')) {
        mkdirSync(target, { recursive: true });
      } else {
        mkdirSync(dirname(target), { recursive: true });
        await writeFile(target, data);
      }
    }
    await rm(path, { recursive: true, force: true });
    await rename(temp, path);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

const isZip = (b: Uint8Array): boolean => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isGzip = (b: Uint8Array): boolean => b[0] === 0x1f && b[1] === 0x8b;

/**
 * The members of an uncompressed tar archive as `[name, bytes]` (views into `tar`), folders
 * ending in '/'. Reads ustar and GNU headers; other entries (links, pax headers) are skipped.
 */
function readTar(tar: Uint8Array): Array<[string, Uint8Array]> {
  const text = (start: number, length: number): string => {
    const field = tar.subarray(start, start + length);
    const end = field.indexOf(0);
    return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
  };
  const members: Array<[string, Uint8Array]> = [];
  let longName: string | null = null;
  for (let offset = 0; offset + 512 <= tar.length && tar[offset] !== 0; ) {
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(tar[offset + 156]);
    const body = offset + 512;
    if (Number.isNaN(size) || body + size > tar.length) {
      throw new Error(`truncated or invalid tar header at byte ${offset}`);
    }
    const prefix = text(offset + 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${text(offset, 100)}` : text(offset, 100));
    longName = null;
    if (type === 'L') longName = text(body, size);
    else if (type === '5') members.push([name.endsWith('/') ? name : `${name}/`, new Uint8Array(0)]);
    else if (type === '0' || type === '\0') members.push([name, tar.subarray(body, body + size)]);
    offset = body + Math.ceil(size / 512) * 512;
  }
  return members;
}
