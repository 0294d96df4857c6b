// JSON columns are stored as text on both engines. Each one is read and written through one typed codec, declared
// once per column (the shared shapes here, a table's own shapes in its module's `columns.ts`), so no code parses
// a column and casts the result on its own. @NOTE decoding does not validate: these columns hold only what
// Paddock itself encoded, so the codec's type is the writer's promise, kept by encoding through the same codec.

/** A JSON column that is never null (`text not null`). */
export interface JsonColumn<T> {
  encode(value: T): string;
  decode(text: string): T;
}

/** A nullable JSON column: null (or an absent value) is stored as SQL null. */
export interface NullableJsonColumn<T> {
  encode(value: T | null | undefined): string | null;
  decode(text: string | null): T | null;
}

/** The codec of a `text not null` column holding JSON of type T. */
export function jsonColumn<T>(): JsonColumn<T> {
  return {
    encode: (value) => JSON.stringify(value),
    decode: (text) => JSON.parse(text) as T,
  };
}

/** The codec of a nullable column holding JSON of type T. */
export function nullableJsonColumn<T>(): NullableJsonColumn<T> {
  return {
    encode: (value) => (value === null || value === undefined ? null : JSON.stringify(value)),
    decode: (text) => (text === null ? null : (JSON.parse(text) as T)),
  };
}

/** Paddle's `custom_data` and `import_meta`: any JSON object the caller gave. */
export type JsonObject = Record<string, unknown>;

/** `custom_data` of products, prices, customers, addresses, businesses, transactions and subscriptions. */
export const customDataColumn = nullableJsonColumn<JsonObject>();

/** `import_meta` of the same tables (set by Paddle's importers; Paddock only keeps it). */
export const importMetaColumn = nullableJsonColumn<JsonObject>();

/** A billing period as stored: RFC 3339 texts (db/tables.ts), for `transactions.billing_period` and the like. */
export interface StoredPeriod {
  starts_at: string;
  ends_at: string;
}

export const periodColumn = nullableJsonColumn<StoredPeriod>();

/** A billing cycle or trial as Paddle writes them: `{ interval: 'month', frequency: 1 }`. */
export interface StoredDuration {
  interval: string;
  frequency: number;
}

/** `prices.billing_cycle` (null for one-time prices). */
export const billingCycleColumn = nullableJsonColumn<StoredDuration>();

/** `api_keys.permissions`: the key's permission names. */
export const permissionsColumn = jsonColumn<string[]>();

/** `events.data`: the entity as the event announced it. */
export const eventDataColumn = jsonColumn<unknown>();
