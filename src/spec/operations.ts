// The wire shapes of Paddle's operations, by operationId, read from the types `npm run openapi:types` generates
// from openapi/paddle-openapi.json (paddle-api.d.ts, never edited by hand). Types only: every layer may import them.
import type { components, operations } from './paddle-api.js';

/** Every operationId in Paddle's OpenAPI document, e.g. `'list-transactions'`. */
export type OperationId = keyof operations;

/** `never` (the generator's "no such part") becomes `Empty`, so a handler can still destructure it. */
type OrEmpty<T, Empty> = [T] extends [never] ? Empty : T;

type Parameters<Id extends OperationId> = operations[Id]['parameters'];

/** Path parameters, e.g. `{ customer_id: string }` for `/customers/{customer_id}`; empty when the path has none. */
export type OperationParams<Id extends OperationId> = OrEmpty<
  NonNullable<Parameters<Id>['path']>,
  Record<string, never>
>;

/**
 * Query parameters as the handler receives them, after `parseQuery` (http/openapi.ts) has split comma lists into
 * arrays, read numbers and booleans, and validated the result against the same schemas these types come from:
 * `id?: string[]`, `per_page?: number`, `recurring?: boolean`. Only the parameters given are present.
 */
export type OperationQuery<Id extends OperationId> = OrEmpty<
  NonNullable<Parameters<Id>['query']>,
  Record<string, never>
>;

type RequestBody<Id extends OperationId> = NonNullable<operations[Id]['requestBody']>;

/**
 * The JSON request body, validated by Ajv against the operation's request schema before the handler runs (an
 * absent body is validated as `{}`); `undefined` for operations that take no body.
 */
export type OperationBody<Id extends OperationId> = [RequestBody<Id>] extends [never]
  ? undefined
  : RequestBody<Id> extends { content: { 'application/json': infer Body } }
    ? Body
    : never;

/** A named schema of the document, e.g. `Schema<'address-create'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
