import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonText, jsonOf, serializedOnce, withFields } from './json-text.js';

describe('JSON text', () => {
  const serialize = (row: { id: string; n: bigint }) => ({ id: row.id, n: String(row.n) });

  it('serializes a frozen row once and any other row on every call', () => {
    let calls = 0;
    const counting = (row: { id: string; n: bigint }) => {
      calls += 1;
      return serialize(row);
    };
    const frozen = Object.freeze({ id: 'a', n: 1n });
    assert.equal(serializedOnce(frozen, counting).text, '{"id":"a","n":"1"}');
    assert.equal(serializedOnce(frozen, counting), serializedOnce(frozen, counting));
    assert.equal(calls, 1);
    const open = { id: 'b', n: 2n };
    serializedOnce(open, counting);
    open.n = 3n;
    assert.equal(serializedOnce(open, counting).text, '{"id":"b","n":"3"}');
    assert.equal(calls, 3);
  });

  it('splices text into arrays and stringifies everything else as JSON.stringify does', () => {
    const kept = new JsonText('{"id":"a"}');
    assert.equal(jsonOf([kept, { id: 'b' }, kept]), '[{"id":"a"},{"id":"b"},{"id":"a"}]');
    assert.equal(jsonOf(kept), '{"id":"a"}');
    assert.equal(jsonOf([]), '[]');
    assert.equal(jsonOf({ a: [kept] }), JSON.stringify({ a: [{ id: 'a' }] }));
    assert.equal(jsonOf(null), 'null');
  });

  it('adds fields after an entity’s own, in their order', () => {
    const entity = new JsonText('{"id":"a","x":1}');
    assert.deepEqual(JSON.parse(withFields(entity, { y: { z: 'q"' }, w: null }).text), {
      id: 'a',
      x: 1,
      y: { z: 'q"' },
      w: null,
    });
    assert.equal(withFields(entity, {}), entity);
    assert.equal(withFields(new JsonText('{}'), { a: 1 }).text, '{"a":1}');
    assert.equal(Object.keys(JSON.parse(withFields(entity, { b: 1, a: 2 }).text)).join(), 'id,x,b,a');
  });
});
