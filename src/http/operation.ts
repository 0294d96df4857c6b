// Registers one Paddle operation: method, path, permissions and validation all come from the spec by
// operationId; the module supplies only the handler. Every API route goes through here.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import type { Db, Dialect } from '../db/database.js';
import type { Page } from '../db/pagination.js';
import type { TenantTable } from '../db/tables.js';
import type { Wiring } from '../modules/module.js';
import { tenantClock, type Clock, type ClockState } from '../kernel/clock.js';
import { PaddleError, invalidField } from '../kernel/errors.js';
import { jsonOf } from '../kernel/json-text.js';
import { toStoredTime } from '../kernel/time.js';
import { authenticate, requirePermissions, type Caller } from './auth.js';
import type { OperationBody, OperationId, OperationParams, OperationQuery } from '../spec/operations.js';
import { operationSpec, parseQuery, validateBody, type OperationSpec } from './openapi.js';
import { pageRequest, paginationMeta } from './pagination.js';
import type { RawQuery } from './request-values.js';

/** What the server shares with every route: set once in buildApp. */
export interface ServerDeps {
  db: Db;
  dialect: Dialect;
  wallClock: Clock;
  config: Config;
  wiring: Wiring;
  /** The operationIds this app serves, filled as routes are registered (the contract test reads it). */
  operationIds: Set<string>;
}

/** One request to a Paddle operation: params, query and body typed from the spec by operationId. */
export interface ApiRequest<Id extends OperationId> {
  ctx: Ctx;
  caller: Caller;
  op: OperationSpec;
  /** Path parameters, e.g. `{ customer_id: string }`. */
  params: OperationParams<Id>;
  /** Query parameters after `parseQuery`: comma lists as arrays, numbers and booleans read, validated. */
  query: OperationQuery<Id>;
  /** The JSON body, validated against the request schema; `undefined` when the operation takes none. */
  body: OperationBody<Id>;
  /** The query as Fastify parsed it, for names the spec does not list (e.g. `created_at[GTE]`). */
  rawQuery: RawQuery;
  raw: FastifyRequest;
}

export type ApiResult =
  | { data: unknown; status?: number; headers?: Record<string, string> }
  | { page: Page<{ id: string }>; data: unknown[]; perPage: number }
  | { noContent: true };

export type Handler<Id extends OperationId> = (request: ApiRequest<Id>) => Promise<ApiResult>;

/**
 * The router matched the route's path, so each `:name` segment is there as a string; checking the names tells
 * the compiler so without a cast (a miss would be a bug in the route's path, hence a plain Error).
 */
function hasPathParams<Params>(params: unknown, names: readonly string[]): params is Params {
  return (
    typeof params === 'object' &&
    params !== null &&
    names.every((name) => typeof Reflect.get(params, name) === 'string')
  );
}

/** The context of a request by `caller` (a key's holder, or a portal's tenant), on the tenant's own clock. */
export function ctxFor(deps: ServerDeps, caller: ClockState & Pick<Caller, 'tenant'>): Ctx {
  return {
    db: deps.db,
    dialect: deps.dialect,
    clock: tenantClock(deps.wallClock, caller),
    tenant: caller.tenant,
    config: deps.config,
    wiring: deps.wiring,
  };
}

export async function authenticateRequest(
  deps: ServerDeps,
  request: FastifyRequest,
  read?: { table: TenantTable; id: string },
): Promise<Caller> {
  return authenticate(deps.db, request.headers.authorization, () => toStoredTime(deps.wallClock.now()), read);
}

/** What an operation's registration may add to what the spec says. */
export interface OperationOptions {
  /**
   * The table whose row, by the operation's one path parameter, the handler reads first (with `findById`, outside a
   * transaction): a get-by-id. On PostgreSQL it is read in the key's round trip (`authenticateKey`), one round trip
   * instead of two; the key's checks and the tenant filter are those of the two reads.
   */
  readsRow?: TenantTable;
}

/** Values of `include` the caller asked for, each checked against the permission the spec names. */
export function includes(request: {
  caller: Caller;
  op: OperationSpec;
  query: { include?: readonly string[] };
}): Set<string> {
  const asked = request.query.include ?? [];
  for (const value of asked) {
    requirePermissions(request.caller, request.op.includePermissions[value] ?? []);
  }
  return new Set(asked);
}

/**
 * Registers `operationId` (a key of Paddle's OpenAPI document) with its method, path, permissions and validation
 * from the spec; `handler` gets params, query and body typed for that operation and returns the envelope's data.
 */
export function operation<Id extends OperationId>(
  app: FastifyInstance,
  deps: ServerDeps,
  operationId: Id,
  handler: Handler<Id>,
  options: OperationOptions = {},
): void {
  const op = operationSpec(operationId);
  deps.operationIds.add(operationId);
  const { readsRow } = options;
  const [idParam] = op.pathParams;
  if (readsRow && (op.pathParams.length !== 1 || idParam === undefined))
    throw new Error(`${operationId}: readsRow needs exactly one path parameter`);
  app.route<{ Querystring: RawQuery }>({
    method: op.method,
    url: op.routePath,
    handler: async (request, reply) => {
      const id = readsRow && idParam !== undefined ? Reflect.get(request.params as object, idParam) : undefined;
      const caller = await authenticateRequest(
        deps,
        request,
        readsRow && typeof id === 'string' ? { table: readsRow, id } : undefined,
      );
      requirePermissions(caller, op.permissions);
      const params = request.params;
      if (!hasPathParams<OperationParams<Id>>(params, op.pathParams))
        throw new Error(`${op.routePath}: no path params`);
      const query = parseQuery(operationId, request.query);
      const body = op.hasBody ? (request.body ?? {}) : undefined;
      validateBody(operationId, body);
      const result = await handler({
        ctx: ctxFor(deps, caller),
        caller,
        op,
        params,
        query,
        body,
        rawQuery: request.query,
        raw: request,
      });
      reply.header('request-id', request.id);
      if ('noContent' in result) return reply.status(204).send();
      if ('page' in result) {
        const pagination = paginationMeta(request, deps.config.publicUrl, result.page, result.perPage);
        return sendEnvelope(reply, 200, result.data, { request_id: request.id, pagination });
      }
      if (result.headers) reply.headers(result.headers);
      return sendEnvelope(reply, result.status ?? op.successStatus, result.data, { request_id: request.id });
    },
  });
}

/**
 * Paddle's envelope `{ data, meta }`, written as JSON text here: entities kept as text (kernel/json-text.ts) are
 * spliced in without being serialized again.
 */
function sendEnvelope(reply: FastifyReply, status: number, data: unknown, meta: object): FastifyReply {
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send(
      data === undefined
        ? `{"meta":${JSON.stringify(meta)}}`
        : `{"data":${jsonOf(data)},"meta":${JSON.stringify(meta)}}`,
    );
}

export { pageRequest };
export type { RawQuery };

/** A JSON body that is an object; its fields are for the helper to check. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The `:name` segments of a route path: `'/a/:b/c/:d'` → `'b' | 'd'`. */
export type PathParamNames<Url extends string> = Url extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : Url extends `${string}:${infer Name}`
    ? Name
    : never;

/** One request to a test helper: params named by its path, the raw query, the body as a JSON object. */
export interface HelperRequest<Url extends string> {
  ctx: Ctx;
  caller: Caller;
  params: Record<PathParamNames<Url>, string>;
  query: RawQuery;
  /** `{}` when no body was sent. */
  body: JsonObject;
  raw: FastifyRequest;
}

export type HelperHandler<Url extends string> = (request: HelperRequest<Url>) => Promise<ApiResult>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a test helper needs beyond a sandbox key. */
export interface HelperOptions {
  /**
   * Permissions the key must hold (403 `forbidden` otherwise), listed in README's test-helper table. Required, so
   * that every helper says what it needs (an empty list: any sandbox key).
   */
  permissions: readonly string[];
}

/**
 * Paddock's own sandbox test helpers (INTERFACE.md): Paddle's envelope, errors and auth, no spec entry, so the
 * handler checks the body's fields itself. A live key gets 403 forbidden, and so does a key without the helper's
 * `permissions`; a body that is not a JSON object, 400 `invalid_field`.
 */
export function testHelper<Url extends string>(
  app: FastifyInstance,
  deps: ServerDeps,
  method: 'GET' | 'POST' | 'DELETE',
  url: Url,
  handler: HelperHandler<Url>,
  options: HelperOptions,
): void {
  const paramNames = [...url.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
  app.route<{ Querystring: RawQuery }>({
    method,
    url,
    handler: async (request, reply) => {
      const caller = await authenticateRequest(deps, request);
      if (caller.tenant.environment !== 'sandbox')
        throw new PaddleError('forbidden', 'Test helpers are only available to sandbox API keys.');
      requirePermissions(caller, options.permissions);
      const params = request.params;
      if (!hasPathParams<Record<PathParamNames<Url>, string>>(params, paramNames))
        throw new Error(`${url}: no path params`);
      const body = request.body ?? {};
      if (!isJsonObject(body)) throw invalidField([{ field: 'body', message: 'must be a JSON object' }]);
      const result = await handler({
        ctx: ctxFor(deps, caller),
        caller,
        params,
        query: request.query,
        body,
        raw: request,
      });
      reply.header('request-id', request.id);
      if ('noContent' in result) return reply.status(204).send();
      return sendEnvelope(reply, 'status' in result && result.status ? result.status : 200, result.data, {
        request_id: request.id,
      });
    },
  });
}
