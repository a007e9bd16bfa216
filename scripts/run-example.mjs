// `npm run example -- <name> [--epochs N] [--out DIR]`: runs examples/<name>.ts (compiled by npm install).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const [name, ...rest] = process.argv.slice(2);
const available = readdirSync('examples').filter((f) => f.endsWith('.ts') && f !== 'cli.ts').map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run example -- <name> [--epochs N] [--out DIR]\nExamples: ${available.join(', ')}`);
  process.exit(2);
}
const file = `dist/examples/${name}.js`;
if (!existsSync(file)) {
  console.error(`${file} is missing: run npm install (or npm run build) first`);
  process.exit(2);
}
process.exit(spawnSync(process.execPath, [file, ...rest], { stdio: 'inherit' }).status ?? 1);
