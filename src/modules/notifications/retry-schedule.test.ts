import assert from 'node:assert/strict';
import { it } from 'node:test';
import { retryDelaySeconds } from './retry-schedule.js';
import { paddleSignature } from './signature.js';

it('sandbox: three retries within fifteen minutes, then failed', () => {
  const waits = [1, 2, 3].map((n) => retryDelaySeconds('sandbox', n) ?? -1);
  assert.deepEqual(waits, [60, 180, 540]);
  assert.ok(waits.reduce((a, b) => a + b) <= 15 * 60);
  assert.equal(retryDelaySeconds('sandbox', 4), undefined);
});

it('live: sixty retries, 20 in the first hour, 47 in the first day, all within three days', () => {
  let elapsed = 0;
  const at: number[] = [];
  for (let n = 1; n <= 60; n += 1) {
    elapsed += retryDelaySeconds('live', n) ?? Number.NaN;
    at.push(elapsed);
  }
  assert.equal(retryDelaySeconds('live', 61), undefined);
  assert.equal(at.filter((s) => s <= 3600).length, 20);
  assert.equal(at.filter((s) => s <= 86400).length, 47);
  assert.ok(at.at(-1)! <= 3 * 86400);
});

it("signs as Paddle's Node SDK test vector", () => {
  assert.equal(
    paddleSignature('VALID_SECRET', 1698796800, '{"data": ["1", "2"]}'),
    'ts=1698796800;h1=a300428748dce5c70e4da19bffd60769591ea969c99dea3105d0ec9612cf43f9',
  );
});
