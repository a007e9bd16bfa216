// Compiles the AssemblyScript kernels twice: with relaxed SIMD (real FMA) and with plain SIMD,
// the fallback for runtimes without relaxed SIMD. The engine picks one at load time.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

// Usage: node scripts/build-kernels.mjs [outDir]   (default dist/wasm, beside the compiled TS)
const out = process.argv[2] ?? 'dist/wasm';
mkdirSync(out, { recursive: true });
const common = [
  'assembly/index.ts', '--importMemory', '--sharedMemory', '--initialMemory', '16',
  '--maximumMemory', '65536', '--noExportMemory', '--runtime', 'stub', '-O3', '--noAssert',
  '--enable', 'simd', '--enable', 'threads',
];
const builds = { 'kernels.simd.wasm': [], 'kernels.relaxed.wasm': ['--enable', 'relaxed-simd'] };
for (const [file, extra] of Object.entries(builds)) {
  execFileSync(process.execPath, ['node_modules/assemblyscript/bin/asc.js', ...common, ...extra, '-o', `${out}/${file}`], { stdio: 'inherit' });
}
