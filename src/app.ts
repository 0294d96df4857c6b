// Builds the HTTP application (no listening here, so tests drive it with app.inject).
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Db, Dialect } from './db/database.js';
import { installErrorHandling } from './http/errors.js';
import type { ServerDeps } from './http/operation.js';
import type { Clock } from './kernel/clock.js';
import { PaddleError } from './kernel/errors.js';
import { addressRoutes } from './modules/addresses/routes.js';
import { businessRoutes } from './modules/businesses/routes.js';
import { creditBalanceRoutes } from './modules/credit-balances/routes.js';
import { customerPortalRoutes } from './modules/customer-portal/routes.js';
import { customerRoutes } from './modules/customers/routes.js';
import { emailRoutes } from './modules/emails/routes.js';
import { invoiceRoutes } from './modules/invoices/routes.js';
import { paymentMethodRoutes } from './modules/payment-methods/routes.js';
import { priceRoutes } from './modules/prices/routes.js';
import { productRoutes } from './modules/products/routes.js';
import { subscriptionDueWork } from './modules/subscriptions/due-work.js';
import { subscriptionRoutes } from './modules/subscriptions/routes.js';
import { testHelperRoutes } from './modules/test-helpers/routes.js';
import { registerDueWork } from './jobs/due-work.js';
import { transactionRoutes } from './modules/transactions/routes.js';
import { checkoutRoutes } from './web/checkout/routes.js';
import { portalRoutes } from './web/portal/routes.js';
import { assetRoutes } from './web/shared/assets.js';

export interface AppOptions {
  db: Db;
  dialect: Dialect;
  config: Config;
  wallClock: Clock;
  logger?: boolean;
}

/** Each module contributes its routes here; the order does not matter. */
const MODULE_ROUTES: Array<(app: FastifyInstance, deps: ServerDeps) => void> = [
  productRoutes,
  priceRoutes,
  customerRoutes,
  addressRoutes,
  businessRoutes,
  paymentMethodRoutes,
  creditBalanceRoutes,
  transactionRoutes,
  invoiceRoutes,
  subscriptionRoutes,
  customerPortalRoutes,
  emailRoutes,
  testHelperRoutes,
];

/** Server-rendered pages (checkout, portal): HTML forms post url-encoded bodies, which only these routes accept. */
const WEB_ROUTES: Array<(app: FastifyInstance, deps: ServerDeps) => void> = [checkoutRoutes, portalRoutes];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    // @NOTE Paddle ids never contain dots or slashes; a trailing slash still reaches the route.
    routerOptions: { ignoreTrailingSlash: true },
  });
  const deps: ServerDeps = {
    db: options.db,
    dialect: options.dialect,
    wallClock: options.wallClock,
    config: options.config,
  };

  // An empty JSON body is the same as none (Paddle accepts `POST …/cancel` without a body).
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new PaddleError(400, 'invalid_json', 'Request body is not valid JSON.'), undefined);
    }
  });

  registerDueWork(subscriptionDueWork);
  installErrorHandling(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  for (const register of MODULE_ROUTES) register(app, deps);
  assetRoutes(app);
  await app.register(async (web) => {
    web.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    for (const register of WEB_ROUTES) register(web, deps);
  });
  await app.ready();
  return app;
}
