// Entities serialized to JSON once and sent as text. Stringifying a response costs about as much as everything else
// a cached read does (a page of 50 customers: ~50 µs of JSON.stringify, #13), and a row kept under the database's
// change token (db/read-cache.ts) is the same frozen object until something writes: its JSON can be kept with it.

/**
 * A value already serialized as JSON. Response bodies (http/operation.ts) splice its text in as it is; anything
 * else that stringifies it (`JSON.stringify`, a test) gets the same JSON through `toJSON`, only slower.
 */
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

const kept = new WeakMap<(row: never) => unknown, WeakMap<object, JsonText>>();

/**
 * `serialize(row)` as JSON text. For a frozen row (one shared from a read cache, which never changes) the text is
 * kept with the row and made once; any other row is serialized on every call. `serialize` must depend on the row
 * alone (not on the clock, the caller or the database).
 */
export function serializedOnce<Row extends object>(row: Row, serialize: (row: Row) => unknown): JsonText {
  if (!Object.isFrozen(row)) return new JsonText(JSON.stringify(serialize(row)));
  let byRow = kept.get(serialize);
  if (!byRow) {
    byRow = new WeakMap();
    kept.set(serialize, byRow);
  }
  let text = byRow.get(row);
  if (!text) {
    text = new JsonText(JSON.stringify(serialize(row)));
    byRow.set(row, text);
  }
  return text;
}

/**
 * `entity` (JSON text of an object) with `fields` added after its own, in their order: an entity kept as text and
 * the parts of a response that are not (a fresh token, an include).
 */
export function withFields(entity: JsonText, fields: Readonly<Record<string, unknown>>): JsonText {
  const added = JSON.stringify(fields);
  if (added === '{}') return entity;
  if (entity.text === '{}') return new JsonText(added);
  return new JsonText(`${entity.text.slice(0, -1)},${added.slice(1)}`);
}

/** The JSON text of `value`, with JsonText (at the top or as an array's items) spliced in as it is. */
export function jsonOf(value: unknown): string {
  if (value instanceof JsonText) return value.text;
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (i > 0) text += ',';
      text += item instanceof JsonText ? item.text : (JSON.stringify(item) ?? 'null');
    }
    return `${text}]`;
  }
  return JSON.stringify(value) ?? 'null';
}
