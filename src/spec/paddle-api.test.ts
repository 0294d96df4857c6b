import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('generated operation types', () => {
  it('match openapi/paddle-openapi.json (run `npm run openapi:types` after changing the spec)', () => {
    const check = spawnSync('npm', ['run', '--silent', 'openapi:types:check'], { cwd: root, encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
  });
});
