import assert from 'node:assert/strict';
import { it } from 'node:test';
import { idPattern, isId, newId } from './ids.js';

it('makes Paddle ids that sort in creation order, also within one millisecond', () => {
  const at = 1_700_000_000_000;
  const ids = Array.from({ length: 5000 }, () => newId('subscription', at));
  assert.ok(ids.every((id) => idPattern('subscription').test(id)));
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), ids);
  assert.ok(isId('customer', newId('customer', at + 1)));
  assert.ok(!isId('customer', 'ctm_01H8441JN5PCWRFHWH78JQT8HK'));
});

it('spreads its random part over the whole alphabet', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) seen.add(newId('price', 1_700_000_000_000 + i).slice(-1));
  assert.equal(seen.size, 32);
});
