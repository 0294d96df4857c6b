// The spec-driven fuzz test (issue #12, "Done when"): requests built from Paddle's OpenAPI document over every
// operation Paddock serves, mostly valid and often bent, with real ids and near misses, several keys. Whatever they
// send: no 5xx, Paddle's error envelope on every 4xx, a spec-valid body on every 2xx, and a refused write leaves
// the database as it was. Seeded (FUZZ_SEED) and bounded (FUZZ_REQUESTS, 10,000 by default; `npm run fuzz` sends
// 100,000); it prints its figures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { allOperations, createAjv } from '../../src/http/openapi.js';
import { useTestApp } from '../support/app.js';
import { aBuyer, aPaidMonthlyTransaction, aPrice, aTransaction, aBusiness } from '../support/builders.js';
import { assertMatchesSpec } from '../support/contract.js';
import {
  Random,
  generate,
  pathId,
  pathParamPrefix,
  queryParameters,
  requestSchema,
  type IdPool,
} from '../support/fuzz.js';

// @NOTE `npm run fuzz` is the longer run; FUZZ_REQUESTS and FUZZ_SEED override either.
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? (process.env.npm_lifecycle_event === 'fuzz' ? 100_000 : 10_000));
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

const validateError = createAjv().compile({ $ref: 'paddle-openapi.json#/components/schemas/error' });

function remember(pool: IdPool, value: unknown): void {
  if (!value || typeof value !== 'object') return;
  const id = (value as { id?: unknown }).id;
  if (typeof id === 'string' && /^[a-z]{2,4}_[a-z0-9]{26}$/.test(id)) {
    const prefix = id.slice(0, id.indexOf('_') + 1);
    const ids = pool.get(prefix) ?? [];
    if (!ids.includes(id)) ids.push(id);
    if (ids.length > 30) ids.shift();
    pool.set(prefix, ids);
  }
}

function queryString(params: Record<string, unknown>): string {
  const parts = Object.entries(params).map(([name, value]) => {
    const text = Array.isArray(value)
      ? value.map(String).join(',')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
    // @NOTE lone surrogates cannot be percent-encoded: sent as U+FFFD.
    return `${encodeURIComponent(name)}=${encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))}`;
  });
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

describe('fuzz: requests from the spec over every served operation', () => {
  const t = useTestApp('sqlite');

  it(`sends ${REQUESTS} requests (seed ${SEED}): no 5xx, Paddle's envelope on 4xx, spec-valid 2xx, no partial write`, async () => {
    const app = t();
    const pool: IdPool = new Map();
    // Real entities of every kind, so that many requests reach the code behind the validation.
    const price = await aPrice(app, { billing_cycle: { interval: 'month', frequency: 1 } });
    remember(pool, price);
    remember(pool, { id: price.product_id });
    const { customer, address } = await aBuyer(app, 'US');
    remember(pool, customer);
    remember(pool, address);
    remember(pool, await aBusiness(app, customer.id));
    remember(
      pool,
      await aTransaction(app, {
        items: [{ price_id: price.id, quantity: 1 }],
        customer_id: customer.id,
        address_id: address.id,
      }),
    );
    const paid = await aPaidMonthlyTransaction(app);
    remember(pool, paid);
    const subscriptions = await app.request('GET', `/subscriptions?customer_id=${paid.customer_id}`);
    for (const subscription of subscriptions.body.data) remember(pool, subscription);

    const keys = {
      all: app.keys.sandbox,
      none: await app.createKey('sandbox', []),
      readOnly: await app.createKey('sandbox', ['product.read', 'price.read', 'customer.read', 'transaction.read']),
      live: app.keys.live,
    };
    const tables = (
      await sql<{
        name: string;
      }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'`.execute(
        app.db,
      )
    ).rows.map((row) => row.name);
    const columns = new Map<string, boolean>();
    for (const table of tables) {
      const info = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(app.db);
      columns.set(
        table,
        info.rows.some((row) => row.name === 'updated_at'),
      );
    }
    // @NOTE one query: each table's row count and latest update, so an insert or an update shows.
    const fingerprintQuery = tables
      .map(
        (table) =>
          `select '${table}' as t, count(*) as n, ${columns.get(table) ? 'max(updated_at)' : 'null'} as u from "${table}"`,
      )
      .join(' union all ');
    const fingerprint = async () =>
      JSON.stringify((await sql.raw(fingerprintQuery).execute(app.db)).rows, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      );

    const random = new Random(SEED);
    const operations = allOperations().filter((op) => app.app.paddleOperationIds.has(op.operationId));
    const statuses = new Map<number, number>();
    const perOperation = new Map<string, number>();
    const succeeded = new Map<string, number>();
    const failures: string[] = [];
    const started = performance.now();

    for (let i = 0; i < REQUESTS && failures.length < 25; i++) {
      const op = operations[i % operations.length]!;
      let path = op.specPath;
      for (const name of op.pathParams) {
        path = path.replace(`{${name}}`, pathId(pathParamPrefix(op.specPath, op.method, name), random, pool));
      }
      const query: Record<string, unknown> = {};
      for (const parameter of queryParameters(op.specPath, op.method)) {
        if (parameter.name && random.chance(0.25))
          query[parameter.name] = generate(parameter.schema, random, pool, 0.1);
      }
      const bend = random.pick([0, 0, 0.03, 0.1, 0.3]);
      const schema = op.hasBody ? requestSchema(op.specPath, op.method) : undefined;
      let payload: string | undefined;
      if (op.hasBody) {
        const roll = random.next();
        payload =
          roll < 0.03
            ? random.pick(['{', '[]', 'null', '"x"', '{"a":1}{', ''])
            : JSON.stringify(generate(schema, random, pool, bend) ?? {});
      }
      const keyRoll = random.next();
      const key =
        keyRoll < 0.85
          ? keys.all
          : keyRoll < 0.9
            ? keys.readOnly
            : keyRoll < 0.94
              ? keys.none
              : keyRoll < 0.97
                ? keys.live
                : undefined;
      const headers: Record<string, string> = {};
      if (key) headers.authorization = `Bearer ${key}`;
      if (payload !== undefined) headers['content-type'] = random.chance(0.02) ? 'text/plain' : 'application/json';

      const isWrite = op.method !== 'GET';
      const before = isWrite ? await fingerprint() : '';
      const url = `${path}${queryString(query)}`;
      const response = await app.app.inject({
        method: op.method,
        url,
        headers,
        ...(payload !== undefined ? { payload } : {}),
      });
      const status = response.statusCode;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      perOperation.set(op.operationId, (perOperation.get(op.operationId) ?? 0) + 1);
      if (status < 300) succeeded.set(op.operationId, (succeeded.get(op.operationId) ?? 0) + 1);
      if (process.env.FUZZ_VERBOSE) console.log(op.operationId, status, response.body.slice(0, 160));
      const what = `#${i} ${op.method} ${url.slice(0, 200)} ${payload?.slice(0, 300) ?? ''} → ${status} ${response.body.slice(0, 400)}`;
      let body: { data?: unknown; meta?: { request_id?: unknown } } | undefined;
      try {
        body = response.body === '' ? undefined : JSON.parse(response.body);
      } catch {
        failures.push(`not JSON: ${what}`);
        continue;
      }
      if (status >= 500) {
        failures.push(`5xx: ${what}`);
        continue;
      }
      if (status >= 400) {
        if (!validateError(body) || !/^[0-9a-f-]{36}$/.test(String(body?.meta?.request_id)))
          failures.push(`not Paddle's envelope: ${what}`);
        if (isWrite && (await fingerprint()) !== before) failures.push(`partial write on a refusal: ${what}`);
        continue;
      }
      try {
        assertMatchesSpec(op.operationId, { status, headers: response.headers, text: response.body, body });
      } catch (error) {
        failures.push(`2xx off the spec: ${what}\n${String((error as Error).message).slice(0, 600)}`);
      }
      remember(pool, body?.data);
      if (Array.isArray(body?.data)) for (const item of body.data.slice(0, 3)) remember(pool, item);
    }

    const seconds = (performance.now() - started) / 1000;
    const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(
      `fuzz: seed ${SEED}, ${sent} requests over ${perOperation.size} operations in ${seconds.toFixed(1)} s ` +
        `(${Math.round(sent / seconds)}/s); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`,
    );
    const neverServed = operations.filter((op) => !succeeded.has(op.operationId)).map((op) => op.operationId);
    console.log(`fuzz: operations with a 2xx: ${succeeded.size}/${operations.length}; none: ${neverServed.join(', ')}`);
    assert.deepEqual(failures, [], failures.join('\n\n'));
    assert.equal(perOperation.size, operations.length, 'every served operation was fuzzed');
    assert.ok(sent >= REQUESTS, `${sent} requests`);
  });
});
