/**
 * Loads every module under stages/ first, each in a fresh module graph (the project's files are
 * dropped from require's cache between loads), and prints one JSON line: the files that failed
 * to load with their error. Run with `node --import tsx`. A module that only works when some
 * other module was loaded before it (an import cycle resolved by luck) fails here.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const stagesDir = path.join(root, 'stages');
const load = createRequire(__filename);
const files = (readdirSync(stagesDir, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => path.join(stagesDir, f))
  .sort();

const failures: { file: string; error: string }[] = [];
for (const file of files) {
  for (const key of Object.keys(load.cache))
    if (key.startsWith(root) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete load.cache[key];
  try {
    load(file);
  } catch (error) {
    const { name, message } = error as Error;
    failures.push({ file: path.relative(root, file), error: `${name}: ${message}`.split('\n')[0] as string });
  }
}
process.stdout.write(`${JSON.stringify({ loaded: files.length, failures })}\n`);
