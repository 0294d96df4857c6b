// The one check of a refusal (issue 9, item 6): the answer carries Paddle's status and code, and nothing changed:
// the entities the request could touch read the same afterwards and no event was recorded.
import assert from 'node:assert/strict';
import type { TestApp, TestResponse } from './app.js';
import { assertPaddleError } from './contract.js';
import { lastEventId, recordedEvents } from './events.js';

export interface Refusal {
  /** The request Paddle refuses, as small as it can be. */
  send: () => Promise<TestResponse>;
  status: number;
  code: string;
  /** What the detail must say (the cause it names). */
  detail?: RegExp;
  /** `GET` paths of the entities the request could change (read with `key`), compared before and after. */
  reads?: readonly string[];
  key?: string;
}

/** An entity as read, without what differs on every read (management_urls carry a fresh portal token each time). */
function stable(body: unknown): unknown {
  if (body === null || typeof body !== 'object') return body;
  if (Array.isArray(body)) return body.map(stable);
  return Object.fromEntries(
    Object.entries(body as Record<string, unknown>)
      .filter(([name]) => name !== 'management_urls' && name !== 'meta')
      .map(([name, value]) => [name, stable(value)]),
  );
}

async function readAll(t: TestApp, paths: readonly string[], key?: string): Promise<unknown[]> {
  const reads = [];
  for (const path of paths) {
    const res = await t.request('GET', path, key ? { key } : {});
    assert.equal(res.status, 200, `GET ${path} → ${res.status}: ${res.text}`);
    reads.push(stable(res.body));
  }
  return reads;
}

/** Sends the refused request and asserts status, code, detail, unchanged entities and no new event. */
export async function assertRefusedWithoutChange(t: TestApp, refusal: Refusal): Promise<TestResponse> {
  const paths = refusal.reads ?? [];
  const before = await readAll(t, paths, refusal.key);
  const lastEvent = await lastEventId(t);
  const res = await refusal.send();
  assertPaddleError(res, refusal.status, refusal.code);
  if (refusal.detail) assert.match(res.body.error.detail, refusal.detail);
  assert.deepEqual(await readAll(t, paths, refusal.key), before, 'a refused request changed an entity');
  const events = await recordedEvents(t, { after: lastEvent });
  assert.deepEqual(
    events.map((event) => event.type),
    [],
    'a refused request recorded events',
  );
  return res;
}
