// Checks a response against Paddle's OpenAPI document: the schema of the operation's response for that
// status, or the shared error schema for errors. Used by every module's tests.
import assert from 'node:assert/strict';
import { createAjv, operationSpec, schemaPointer } from '../../src/http/openapi.js';
import type { TestResponse } from './app.js';

const ajv = createAjv();
const cache = new Map<string, ReturnType<typeof ajv.compile>>();

function validatorFor(ref: string) {
  let validate = cache.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    cache.set(ref, validate);
  }
  return validate;
}

/** Operations whose responses a test has checked: the contract test asserts every implemented one appears. */
export const checkedOperations = new Set<string>();

export function assertMatchesSpec(operationId: string, response: TestResponse): void {
  const op = operationSpec(operationId);
  let ref: string;
  if (response.status >= 400) {
    ref = 'paddle-openapi.json#/components/schemas/error';
  } else {
    assert.equal(response.status, op.successStatus, `${operationId} answered ${response.status}: ${response.text}`);
    if (response.status === 204) {
      assert.equal(response.text, '');
      checkedOperations.add(operationId);
      return;
    }
    ref = schemaPointer(operationId, { response: response.status });
  }
  const validate = validatorFor(ref);
  const valid = validate(response.body);
  assert.ok(
    valid,
    `${operationId} ${response.status} does not match the spec: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}\n${response.text.slice(0, 2000)}`,
  );
  checkedOperations.add(operationId);
}

/** Asserts a Paddle error envelope with the given status and code. */
export function assertPaddleError(response: TestResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status}: ${response.text}`);
  assert.equal(response.body?.error?.code, code, response.text);
  const validate = validatorFor('paddle-openapi.json#/components/schemas/error');
  assert.ok(validate(response.body), JSON.stringify(validate.errors));
  assert.match(response.body.meta.request_id, /^[0-9a-f-]{36}$/);
  assert.equal(response.body.error.documentation_url.startsWith('https://developer.paddle.com/errors/'), true);
}
