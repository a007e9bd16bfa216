// The browser build: esbuild bundles src/browser.ts (the library) and the engine worker into
// dist/browser/, copies the kernels beside them, and puts the demo page in dist/demo/.
// Usage: node scripts/bundle.mjs [dist]   (after build-kernels.mjs and tsc wrote that folder)
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { build } from 'esbuild';

const dist = process.argv[2] ?? 'dist';
const out = `${dist}/browser`;
await build({
  entryPoints: { keras: 'src/browser.ts', worker: 'src/engine/wasm/worker.ts' },
  outdir: out,
  bundle: true,
  format: 'esm',
  // Modules imported on first use (h5wasm, 4 MB with its embedded HDF5) go to chunks of their
  // own, which a page downloads only when it saves or loads a model. Chunks sit beside the
  // entries, so import.meta.url-relative paths (worker.js, wasm/) resolve the same from any of them.
  splitting: true,
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  charset: 'utf8', // h5wasm's embedded binary as escapes would be 40 % larger
  // Node's modules are only ever imported behind `isNode` checks, dynamically, and never run here.
  external: ['node:*'],
  // platform.ts finds wasm/ beside the bundle instead of two folders up (see KERAS_TS_ASSETS there).
  define: { KERAS_TS_ASSETS: '"./"' },
  logLevel: 'warning',
});
for (const file of readdirSync(out).filter((f) => f.endsWith('.js'))) {
  const staticNodeImport = /^\s*(import|export)\b[^;]*?["'](node:[^"']+)["']/m.exec(readFileSync(`${out}/${file}`, 'utf8'));
  if (staticNodeImport) {
    throw new Error(`scripts/bundle.mjs: ${out}/${file} imports ${staticNodeImport[2]} at load time, which no browser has: ` +
      'a module that src/browser.ts reaches imports it statically; import it inside the Node-only function instead.');
  }
}
mkdirSync(`${out}/wasm`, { recursive: true });
for (const file of readdirSync(`${dist}/wasm`)) copyFileSync(`${dist}/wasm/${file}`, `${out}/wasm/${file}`);
mkdirSync(`${dist}/demo`, { recursive: true });
copyFileSync('src/demo/index.html', `${dist}/demo/index.html`);
