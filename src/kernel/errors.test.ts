import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERROR_CATALOGUE, ERROR_CODES, PaddleError, type ErrorCode } from './errors.js';

const ROOT = new URL('../../', import.meta.url);
const DOCS = readFileSync(new URL('docs/errors.md', ROOT), 'utf8');

/** The `| \`code\` | status | when |` rows of docs/errors.md. */
function documentedCodes(): Map<string, number> {
  const rows = [...DOCS.matchAll(/^\| `([a-z0-9_]+)` \| (\d{3}) \|/gm)];
  return new Map(rows.map((row) => [row[1]!, Number(row[2])]));
}

/** The last column of each catalogue row ("tested by"): a test reference or the reason there is none. */
function testedBy(): Map<string, string> {
  const rows = [...DOCS.matchAll(/^\| `([a-z0-9_]+)` \| \d{3} \| .* \| ([^|]+) \|$/gm)];
  return new Map(rows.map((row) => [row[1]!, row[2]!.trim()]));
}

/** The `| \`code\` | reason |` rows of the section of Paddle codes Paddock does not answer. */
function unansweredCodes(): Map<string, string> {
  const section = DOCS.slice(DOCS.indexOf('## Paddle codes Paddock does not answer'));
  const end = section.indexOf('\n## ', 3);
  const rows = [...(end < 0 ? section : section.slice(0, end)).matchAll(/^\| `([a-z0-9_]+)` \| ([^|]*) \|$/gm)];
  return new Map(rows.map((row) => [row[1]!, row[2]!.trim()]));
}

/** `\`path\` › "title"`: the file exists, holds the title as written and names the code. Answers what is wrong. */
function referenceProblem(code: string, cell: string): string | null {
  const reference = /^`([^`]+\.test\.ts)` › "(.+)"$/.exec(cell);
  if (!reference) return /^\*no test yet\*: \S/.test(cell) ? null : `${code}: neither a test reference nor a reason`;
  const [, path, title] = reference;
  let text: string;
  try {
    text = readFileSync(new URL(path!, ROOT), 'utf8');
  } catch {
    return `${code}: ${path} does not exist`;
  }
  if (!text.includes(`'${title}'`) && !text.includes(`"${title}"`) && !text.includes(`\`${title}\``))
    return `${code}: no test titled "${title}" in ${path}`;
  if (!text.includes(code)) return `${code}: ${path} never names the code`;
  return null;
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

  it('names for every code the test that triggers it (which exists and names the code), or why there is none', () => {
    const cells = testedBy();
    assert.deepEqual(
      ERROR_CODES.filter((code) => !cells.has(code)),
      [],
      'codes without a "tested by" cell',
    );
    const problems = ERROR_CODES.map((code) => referenceProblem(code, cells.get(code)!)).filter(Boolean);
    assert.deepEqual(problems, []);
  });

  it('gives every Paddle code Paddock does not answer a reason, and answers none of them', () => {
    const unanswered = unansweredCodes();
    assert.ok(unanswered.size > 50, `the section lists ${unanswered.size} codes`);
    for (const [code, reason] of unanswered) {
      assert.equal(code in ERROR_CATALOGUE, false, `${code} is answered, yet listed as not answered`);
      assert.ok(reason.length > 10, `${code} has no reason`);
    }
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
