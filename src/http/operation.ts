// Registers one Paddle operation: method, path, permissions and validation all come from the spec by
// operationId; the module supplies only the handler. Every API route goes through here.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import type { Db, Dialect } from '../db/database.js';
import type { Page } from '../db/pagination.js';
import type { Wiring } from '../modules/module.js';
import { OffsetClock, type Clock } from '../kernel/clock.js';
import { forbidden, notFound } from '../kernel/errors.js';
import { toStoredTime } from '../kernel/time.js';
import { authenticate, hasPermission, requirePermissions, type Caller } from './auth.js';
import { operationSpec, parseQuery, prepareValidators, validateBody, type OperationSpec } from './openapi.js';
import { pageRequest, paginationMeta } from './pagination.js';

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

export interface ApiRequest {
  ctx: Ctx;
  caller: Caller;
  op: OperationSpec;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: any;
  raw: FastifyRequest;
}

export type ApiResult =
  | { data: unknown; status?: number; headers?: Record<string, string> }
  | { page: Page<any>; data: unknown[]; perPage: number }
  | { noContent: true };

export type Handler = (request: ApiRequest) => Promise<ApiResult>;

export function ctxFor(deps: ServerDeps, caller: Pick<Caller, 'tenant' | 'clockOffsetMicros'>): Ctx {
  return {
    db: deps.db,
    dialect: deps.dialect,
    clock: new OffsetClock(deps.wallClock, caller.clockOffsetMicros),
    tenant: caller.tenant,
    config: deps.config,
    wiring: deps.wiring,
  };
}

export async function authenticateRequest(deps: ServerDeps, request: FastifyRequest): Promise<Caller> {
  return authenticate(deps.db, request.headers.authorization, () => toStoredTime(deps.wallClock.now()));
}

/** Values of `include` the caller asked for, each checked against the permission the spec names. */
export function includes(request: ApiRequest): Set<string> {
  const asked = (request.query.include as string[] | undefined) ?? [];
  for (const value of asked) {
    requirePermissions(request.caller, request.op.includePermissions[value] ?? []);
  }
  return new Set(asked);
}

export function operation(app: FastifyInstance, deps: ServerDeps, operationId: string, handler: Handler): void {
  const op = operationSpec(operationId);
  deps.operationIds.add(operationId);
  prepareValidators(operationId);
  app.route({
    method: op.method,
    url: op.routePath,
    handler: async (request, reply) => {
      const caller = await authenticateRequest(deps, request);
      requirePermissions(caller, op.permissions);
      const params = request.params as Record<string, string>;
      const query = parseQuery(operationId, request.query as Record<string, string>);
      const body = op.hasBody ? (request.body ?? {}) : request.body;
      if (op.hasBody) validateBody(operationId, body);
      const result = await handler({ ctx: ctxFor(deps, caller), caller, op, params, query, body, raw: request });
      reply.header('request-id', request.id);
      if ('noContent' in result) return reply.status(204).send();
      if ('page' in result) {
        const pagination = paginationMeta(request, deps.config.publicUrl, result.page, result.perPage);
        return reply.status(200).send({ data: result.data, meta: { request_id: request.id, pagination } });
      }
      if (result.headers) reply.headers(result.headers);
      return reply
        .status(result.status ?? op.successStatus)
        .send({ data: result.data, meta: { request_id: request.id } });
    },
  });
}

export { pageRequest, hasPermission, forbidden, notFound };

export type HelperHandler = (
  request: Omit<ApiRequest, 'op' | 'query'> & { query: Record<string, unknown> },
) => Promise<ApiResult>;

/**
 * Paddock's own sandbox test helpers (INTERFACE.md): Paddle's envelope, errors and auth, no spec entry.
 * A live key gets 403 forbidden.
 */
export function testHelper(
  app: FastifyInstance,
  deps: ServerDeps,
  method: 'GET' | 'POST',
  url: string,
  handler: HelperHandler,
): void {
  app.route({
    method,
    url,
    handler: async (request, reply) => {
      const caller = await authenticateRequest(deps, request);
      if (caller.tenant.environment !== 'sandbox')
        throw forbidden('Test helpers are only available to sandbox API keys.');
      const result = await handler({
        ctx: ctxFor(deps, caller),
        caller,
        params: request.params as Record<string, string>,
        query: request.query as Record<string, unknown>,
        body: request.body ?? {},
        raw: request,
      });
      reply.header('request-id', request.id);
      if ('noContent' in result) return reply.status(204).send();
      return reply
        .status('status' in result && result.status ? result.status : 200)
        .send({ data: result.data, meta: { request_id: request.id } });
    },
  });
}
