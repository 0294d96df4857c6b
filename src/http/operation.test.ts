import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { forEachDialect, useTestApp } from '../../test/support/app.js';
import { assertPaddleError } from '../../test/support/contract.js';
import { operationSpec, parseQuery, validateBody } from './openapi.js';
import { operation, testHelper, type ServerDeps } from './operation.js';

/**
 * Compile-time checks, run by `npm run typecheck` (never called): each `@ts-expect-error` fails the type check
 * if the line it marks stops being an error, so the handlers' types stay those of the spec.
 */
export function handlerTypes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-transactions', async ({ query, params, body }) => {
    const ids: string[] | undefined = query.id;
    const perPage: number | undefined = query.per_page;
    // @ts-expect-error per_page arrives as a number (parseQuery), not a string
    const perPageText: string | undefined = query.per_page;
    // @ts-expect-error list-transactions has no path parameters
    const id: string = params.transaction_id;
    const none: undefined = body;
    return { data: [ids, perPage, perPageText, id, none] };
  });
  operation(app, deps, 'update-customer', async ({ params, body }) => {
    const id: string = params.customer_id;
    const email: string | undefined = body.email;
    // @ts-expect-error the spec's update-customer has no `nickname`
    const nickname: unknown = body.nickname;
    return { data: [id, email, nickname] };
  });
  // @ts-expect-error not an operationId of Paddle's spec
  operation(app, deps, 'list-widgets', async () => ({ data: null }));
  testHelper(
    app,
    deps,
    'POST',
    '/test-helpers/widgets/:widget_id/spin',
    async ({ params, body }) => {
      const id: string = params.widget_id;
      // @ts-expect-error the path names no other parameter
      const other: string = params.other_id;
      // @ts-expect-error a helper's body is unchecked JSON: its fields are unknown until the helper checks them
      const speed: number = body.speed;
      return { data: [id, other, speed] };
    },
    { permissions: [] },
  );
}

describe('parseQuery and validateBody', () => {
  it('give the handler what the generated types say: arrays for lists, numbers, booleans', () => {
    const query = parseQuery('list-prices', { id: 'pri_1,pri_2', per_page: '5', recurring: 'true' });
    assert.deepEqual(query, { id: ['pri_1', 'pri_2'], per_page: 5, recurring: true });
  });

  it('refuse values the spec does not allow', () => {
    assert.throws(() => parseQuery('list-prices', { recurring: 'maybe' }), { code: 'invalid_field' });
    assert.throws(() => validateBody('create-customer', { name: 'No email' }), { code: 'invalid_field' });
  });

  it('know the path parameters of each operation, and that some operations take no body', () => {
    assert.deepEqual(operationSpec('get-address').pathParams, ['customer_id', 'address_id']);
    assert.doesNotThrow(() => validateBody('activate-subscription', undefined));
    assert.throws(() => validateBody('activate-subscription', {}), /takes no request body/);
  });
});

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);

  describe('test helpers', () => {
    it('refuse a body that is not a JSON object', async () => {
      const res = await t().request('POST', '/test-helpers/clock/advance', { body: ['P1D'] });
      assertPaddleError(res, 400, 'invalid_field');
      assert.deepEqual(
        res.body.error.errors.map((error: { field: string }) => error.field),
        ['body'],
      );
    });
  });

  describe('operations without a request body', () => {
    it('ignore a body sent anyway', async () => {
      const res = await t().request('POST', '/subscriptions/sub_01h0000000000000000000000/activate', {
        body: { anything: true },
      });
      assertPaddleError(res, 404, 'not_found');
    });
  });
});
