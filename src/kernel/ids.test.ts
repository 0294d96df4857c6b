import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodeTime } from 'ulid';
import { WallClock } from './clock.js';
import { idPattern, isId, newId } from './ids.js';

it('makes Paddle ids that sort in creation order, also within one millisecond', () => {
  const ids = Array.from({ length: 5000 }, () => newId('subscription'));
  assert.ok(ids.every((id) => idPattern('subscription').test(id)));
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  assert.ok(isId('customer', newId('customer')));
  assert.ok(!isId('customer', 'ctm_01H8441JN5PCWRFHWH78JQT8HK'));
});

it("takes an id's time from the wall clock, whatever a sandbox clock reads", () => {
  const wall = new WallClock();
  const before = wall.now().epochMilliseconds;
  const time = decodeTime(newId('event').slice('evt_'.length).toUpperCase());
  const after = wall.now().epochMilliseconds;
  assert.ok(before <= time && time <= after, `${before} <= ${time} <= ${after}`);
});

it('spreads its random part over the whole alphabet', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 4000; i++) seen.add(newId('price').slice(-1));
  assert.equal(seen.size, 32);
});
