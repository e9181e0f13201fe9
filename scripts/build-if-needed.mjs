// `npm start` runs this first: compile src/ to dist/ when dist/ is missing or
// older than any source file, so a fresh clone starts with one command.
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'dist', 'main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const stale = !existsSync(output) ||
  newestMtime(join(root, 'src')) > statSync(output).mtimeMs ||
  statSync(join(root, 'tsconfig.json')).mtimeMs > statSync(output).mtimeMs;
if (stale) {
  console.error('hops: building dist/ from src/ ...');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
}
