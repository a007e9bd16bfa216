/**
 * `npm run demo`: serves the browser demo from dist/ on http://127.0.0.1:8000/ (`--port N`,
 * `--host H` to change), with the headers that make the page cross-origin isolated
 * (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp), so
 * its workers may share memory. `/?isolation=off` serves the page without them, to see the
 * single-thread fallback. The MNIST sample is cut from the package's data when the server starts.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as keras from '../index.js';
import { npzBytes } from '../datasets/testing_utils.js';

/** The images the page trains and tests on: the first ones of MNIST's train and test sets. */
export const SAMPLE_SIZE = { train: 5000, test: 1000 };

const DIST = fileURLToPath(new URL('../', import.meta.url));
/** URL path prefix -> folder of dist/ served under it. */
const ROUTES: ReadonlyArray<[string, string]> = [['/keras/', 'browser'], ['/', 'demo']];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.npz': 'application/octet-stream',
};

export interface DemoServer {
  /** The page's address, e.g. 'http://127.0.0.1:8000/'. */
  url: string;
  close(): Promise<void>;
}

/** MNIST's first images in Keras's mnist.npz layout, for keras.datasets.mnist.loadData in the page. */
async function mnistSample(): Promise<Uint8Array> {
  const [[xTrain, yTrain], [xTest, yTest]] = await keras.datasets.mnist.loadData();
  const head = (t: keras.Tensor, n: number): [number[], Uint8Array] => {
    const rows = t.index([0, n]);
    return [[...rows.shape], rows.dataSync() as Uint8Array];
  };
  return npzBytes({
    x_train: head(xTrain, SAMPLE_SIZE.train), y_train: head(yTrain, SAMPLE_SIZE.train),
    x_test: head(xTest, SAMPLE_SIZE.test), y_test: head(yTest, SAMPLE_SIZE.test),
  });
}

/** The file of dist/ that a URL path names, or null outside the served folders. */
function fileFor(path: string): string | null {
  const [prefix, folder] = ROUTES.find(([p]) => path.startsWith(p))!;
  const root = `${DIST}${folder}${sep}`;
  let file: string;
  try {
    file = normalize(root + decodeURIComponent(path.slice(prefix.length) || 'index.html'));
  } catch {
    return null; // malformed %-escapes
  }
  return file.startsWith(root) ? file : null;
}

/** Starts the demo server; `port` 0 takes any free port. */
export async function startDemoServer({ port = 8000, host = '127.0.0.1' } = {}): Promise<DemoServer> {
  const data = await mnistSample();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    // Same-origin files only, never cached (the demo is rebuilt while it is served).
    const headers: Record<string, string> = { 'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store' };
    if (url.searchParams.get('isolation') !== 'off') {
      Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    }
    const send = (status: number, type: string, body: Uint8Array | string) => {
      response.writeHead(status, { ...headers, 'Content-Type': type }).end(body);
    };
    if (url.pathname === '/data/mnist.npz') return send(200, TYPES['.npz'], data);
    const file = fileFor(url.pathname);
    if (file === null) return send(404, 'text/plain', `Not found: ${url.pathname}\n`);
    readFile(file).then(
      (body) => send(200, TYPES[extname(file)] ?? 'application/octet-stream', body),
      () => send(404, 'text/plain', `Not found: ${url.pathname}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8000' }, host: { type: 'string', default: '127.0.0.1' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`npm run demo: --port must be an integer in [0, 65535], received '${values.port}'`);
    process.exit(2);
  }
  try {
    const { url } = await startDemoServer({ port, host: values.host });
    console.log(`keras-ts demo: ${url} (cross-origin isolated; ${url}?isolation=off shows the 1-thread fallback). Ctrl-C stops it.`);
  } catch (error) {
    const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    console.error(busy ? `npm run demo: port ${port} is taken; choose another with npm run demo -- --port ${port + 1}` : error);
    process.exit(1);
  }
}
