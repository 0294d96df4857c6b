// Typed reads of what Fastify hands a route that has no spec entry (signed links, HTML pages and forms): path
// parameters, single query values and url-encoded form fields, checked at run time instead of cast.
import type { FastifyRequest } from 'fastify';

/** A query string as Fastify parses it: a name given twice arrives as an array. */
export type RawQuery = Readonly<Record<string, string | string[] | undefined>>;

/** The fields of a url-encoded form, each a string (app.ts parses form bodies into one string per name). */
export type FormFields = Readonly<Partial<Record<string, string>>>;

/** `value[key]` when `value` is an object, else undefined: for reading parsed JSON of unknown shape. */
export function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;
}

/**
 * A `:name` segment of the route's path. The router always supplies the route's own segments, so a miss is a bug
 * in the caller (a plain Error, rendered as a 500).
 */
export function pathParam(request: FastifyRequest, name: string): string {
  const value = property(request.params, name);
  if (typeof value !== 'string') throw new Error(`route ${request.routeOptions.url ?? ''} has no :${name}`);
  return value;
}

/** A query parameter given once; undefined when it is absent or repeated (a repeated name is ambiguous). */
export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const value = property(request.query, name);
  return typeof value === 'string' ? value : undefined;
}

/** The url-encoded form's fields that are strings; a missing or non-form body has none. */
export function formFields(request: FastifyRequest): FormFields {
  const body = request.body;
  if (typeof body !== 'object' || body === null) return {};
  const entries: Array<[string, unknown]> = Object.entries(body);
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
