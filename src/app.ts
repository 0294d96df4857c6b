// Builds the HTTP application (no listening here, so tests drive it with app.inject).
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { readsFromNow } from './db/change-token.js';
import type { Db, Dialect } from './db/database.js';
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './http/errors.js';
import { installSecurityHeaders } from './http/security-headers.js';
import { loggerOptions, type LogDestination } from './http/logging.js';
import type { ServerDeps } from './http/operation.js';
import type { Clock } from './kernel/clock.js';
import { PaddleError } from './kernel/errors.js';
import { MODULES } from './modules/index.js';
import { wire, type PaddockModule } from './modules/module.js';
import { assetRoutes } from './web/shared/assets.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The Paddle operationIds this app serves (the contract test checks each is validated against the spec). */
    paddleOperationIds: ReadonlySet<string>;
  }
}

export interface AppOptions {
  db: Db;
  dialect: Dialect;
  config: Config;
  wallClock: Clock;
  /** Where log lines go (stdout when absent); the level is `config.logLevel`. */
  logDestination?: LogDestination;
  /** The modules to build from; every module by default (tests add or leave out modules). */
  modules?: readonly PaddockModule[];
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...loggerOptions(options.config.logLevel, options.wallClock, options.logDestination),
    genReqId: () => randomUUID(),
    frameworkErrors,
    clientErrorHandler,
    bodyLimit: 1024 * 1024,
    // @NOTE `request.ip` (the portal's per-client limits) and `request.protocol` follow X-Forwarded-* only from
    // proxies PADDOCK_TRUST_PROXY names; by default the client is the socket's peer.
    trustProxy: options.config.trustProxy,
    // @NOTE Paddle ids never contain dots or slashes; a trailing slash still reaches the route.
    routerOptions: { ignoreTrailingSlash: true },
  });
  const modules = options.modules ?? MODULES;
  const deps: ServerDeps = {
    db: options.db,
    dialect: options.dialect,
    wallClock: options.wallClock,
    config: options.config,
    wiring: wire(modules),
    operationIds: new Set(),
  };

  // An empty JSON body is the same as none (Paddle accepts `POST …/cancel` without a body).
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new PaddleError('invalid_json'), undefined);
    }
  });

  // @NOTE only JSON reaches the API (and forms the pages): Fastify's default text/plain parser would hand a
  // string to validation (`400 must be object`) where Paddle answers 415.
  app.removeContentTypeParser('text/plain');
  // @NOTE first thing for every request: what the database keeps for cheap reads must show every write committed
  // before the request arrived (db/change-token.ts).
  app.addHook('onRequest', (_request, _reply, done) => {
    readsFromNow(options.db);
    done();
  });
  installErrorHandling(app);
  installSecurityHeaders(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  for (const module of modules) module.routes?.(app, deps);
  assetRoutes(app);
  await app.register(async (web) => {
    web.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    for (const module of modules) module.webRoutes?.(web, deps);
  });
  app.decorate('paddleOperationIds', deps.operationIds);
  await app.ready();
  return app;
}
