import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Executor } from './database.js';
import { ReadCache } from './read-cache.js';

const db = {} as Executor;
const otherDb = {} as Executor;

describe('ReadCache', () => {
  it('gives a value out only under the token it was read under', () => {
    const cache = new ReadCache<string>(10);
    cache.set(db, 'a', 't1', 'value');
    assert.equal(cache.get(db, 'a', 't1'), 'value');
    assert.equal(cache.get(db, 'a', 't2'), undefined);
    assert.equal(cache.get(otherDb, 'a', 't1'), undefined);
  });

  it('drops everything read under an older token once a newer one is used', () => {
    const cache = new ReadCache<string>(10);
    cache.set(db, 'a', 't1', 'old a');
    cache.set(db, 'b', 't2', 'new b');
    assert.equal(cache.get(db, 'a', 't1'), undefined, 'the older generation is gone');
    assert.equal(cache.get(db, 'b', 't2'), 'new b');
  });

  it('holds at most `limit` values', () => {
    const cache = new ReadCache<number>(3);
    for (let i = 0; i < 4; i++) cache.set(db, `k${i}`, 't', i);
    const kept = [0, 1, 2, 3].filter((i) => cache.get(db, `k${i}`, 't') !== undefined);
    assert.ok(kept.length <= 3);
    assert.deepEqual(kept.at(-1), 3);
  });
});
