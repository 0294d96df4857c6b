import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('generated operation types', () => {
  it('match openapi/paddle-openapi.json (run `npm run openapi:types` after changing the spec)', () => {
    const check = spawnSync('npm', ['run', '--silent', 'openapi:types:check'], { cwd: root, encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
  });
});

const reference = new URL('../../../shared/reference/paddle-openapi.yaml', import.meta.url);

describe('the served OpenAPI document', () => {
  it(
    'is the reference YAML with openapi/newer.json applied (run `npm run openapi:json` after changing either)',
    { skip: existsSync(reference) ? false : 'the reference YAML (../shared/reference) is not on this machine' },
    () => {
      const check = spawnSync('npx', ['tsx', 'scripts/openapi-to-json.ts', fileURLToPath(reference), '--check'], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
    },
  );
});
