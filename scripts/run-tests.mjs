// Runs every *.test.ts under src/ and test/ in one `node --test` process tree, so the runner prints a
// single summary. Extra arguments are passed through (e.g. a file path to run just that file).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  let found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (entry.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const args = process.argv.slice(2);
const files = args.some((arg) => arg.endsWith('.ts')) ? [] : [...findTests('src'), ...findTests('test')].sort();
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...args, ...files], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(result.status ?? 1);
