import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE, ERROR_CODES, PaddleError, type ErrorCode } from './errors.js';

/** The `| \`code\` | status | when |` rows of docs/errors.md. */
function documentedCodes(): Map<string, number> {
  const text = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...text.matchAll(/^\| `([a-z0-9_]+)` \| (\d{3}) \|/gm)];
  return new Map(rows.map((row) => [row[1]!, Number(row[2])]));
}

describe('the error catalogue', () => {
  it('lists every code docs/errors.md lists, with the same status, and no other', () => {
    const documented = documentedCodes();
    const undocumented = ERROR_CODES.filter((code) => !documented.has(code));
    const unknown = [...documented.keys()].filter((code) => !(code in ERROR_CATALOGUE));
    assert.deepEqual(undocumented, [], 'codes missing from docs/errors.md');
    assert.deepEqual(unknown, [], 'codes in docs/errors.md that Paddock never answers');
    for (const code of ERROR_CODES) assert.equal(documented.get(code), ERROR_CATALOGUE[code].status, code);
  });

  it('gives an error its status, type and default detail from the code alone', () => {
    const error = new PaddleError('subscription_locked_renewal');
    assert.equal(error.status, 409);
    assert.equal(error.type, 'request_error');
    assert.equal(error.detail, 'unable to update subscription 30m0s before renewal');
    assert.equal(new PaddleError('internal_error').type, 'api_error');
    assert.equal(new PaddleError('not_found', 'Entity ctm_1 not found').detail, 'Entity ctm_1 not found');
  });

  it('refuses an unknown code at compile time', () => {
    // @ts-expect-error not a code Paddock answers
    const code: ErrorCode = 'subscription_not_a_real_code';
    assert.equal(code in ERROR_CATALOGUE, false);
  });
});
