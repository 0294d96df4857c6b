// JSON column codecs: what is encoded decodes to an equal value, and SQL null stays null both ways.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customDataColumn, jsonColumn, nullableJsonColumn, periodColumn } from './json.js';

describe('JSON column codecs', () => {
  it('decodes what they encode', () => {
    const items = jsonColumn<Array<{ price_id: string; quantity: number }>>();
    const value = [{ price_id: 'pri_1', quantity: 2 }];
    const text = items.encode(value);
    assert.equal(typeof text, 'string');
    assert.deepEqual(items.decode(text), value);
    const period = { starts_at: '2026-11-24T10:00:00.000000Z', ends_at: '2026-12-24T10:00:00.000000Z' };
    assert.deepEqual(periodColumn.decode(periodColumn.encode(period)), period);
  });

  it('stores null (and an absent value) as SQL null, and reads SQL null as null', () => {
    const codec = nullableJsonColumn<{ a: number }>();
    assert.equal(codec.encode(null), null);
    assert.equal(codec.encode(undefined), null);
    assert.equal(codec.decode(null), null);
    assert.deepEqual(customDataColumn.decode(customDataColumn.encode({ a: 1 })), { a: 1 });
  });
});
