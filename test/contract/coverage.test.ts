// Every operation the server registers must have its responses checked against Paddle's OpenAPI document
// somewhere in the suite (assertMatchesSpec('<operationId>', …)).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { startTestApp } from '../support/app.js';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? testFiles(path) : entry.endsWith('.test.ts') ? [path] : [];
  });
}

it('checks the responses of every implemented operation against the spec', async () => {
  const app = await startTestApp('sqlite');
  const registeredOperations = app.app.paddleOperationIds;
  await app.close();
  assert.ok(registeredOperations.size >= 4, 'the app registered its operations');
  const sources = [...testFiles('src'), ...testFiles('test')].map((file) => readFileSync(file, 'utf8')).join('\n');
  const unchecked = [...registeredOperations].filter(
    (operationId) => !sources.includes(`assertMatchesSpec('${operationId}'`),
  );
  assert.deepEqual(
    unchecked,
    [],
    `operations whose responses no test checks against the spec: ${unchecked.join(', ')}`,
  );
});
