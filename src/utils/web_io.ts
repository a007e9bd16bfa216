/**
 * Files in browsers: bytes downloaded from a URL, and bytes handed to the user as a download.
 * Node reads and writes paths instead (saving/file_utils.ts, datasets/sources.ts).
 */

/** The body of `url` (relative to the page in a browser), or an error naming the URL and the HTTP status. */
export async function fetchBytes(url: string | URL): Promise<Uint8Array<ArrayBuffer>> {
  const resolved = new URL(url, globalThis.location?.href);
  let response: Response;
  try {
    response = await fetch(resolved);
  } catch (error) {
    throw new Error(`keras-ts: could not download ${resolved}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new Error(`keras-ts: could not download ${resolved}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Offers `bytes` to the user as a file named after the last part of `path` (the browser's "Save as"). */
export function downloadBytes(path: string, bytes: Uint8Array): void {
  if (typeof document === 'undefined') {
    throw new Error(`keras-ts: cannot save ${path}: outside a page (in a worker) there is no download to start; ` +
      'keras.saving.saveModel(model) without a path gives the bytes instead.');
  }
  // A Blob takes no view of shared memory, which `bytes` may be: it gets a copy.
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: 'application/octet-stream' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: path.split('/').pop() });
  link.click();
  // The download reads the blob after this task ends; a minute is ample before freeing it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
