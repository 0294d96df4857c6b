// The customer portal: `{portal base}/{cpl_id}?action=overview|cancel_subscription|update_subscription_payment_method
// [&subscription_id=sub_…][&token=pga_…]`, served at /customer-portal/ (live) and /sandbox-customer-portal/
// (sandbox); the cpl must belong to the environment of its path. A valid API-minted token signs the customer in
// (session cookie, then a redirect to the same address without the token); an emailed link's token shows a page
// whose button signs in once (POST sign-in/link); without a session the page asks for an email and mails a link and
// a 6-digit code (POST sign-in/code). Signed-in forms post to `{path}/{cpl}/…` with the session's CSRF token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../db/tables.js';
import type { ServerDeps } from '../../http/operation.js';
import { cancel, signOut, updatePaymentMethod } from './forms.js';
import { signIn, signInByCode, signInByLink } from './sign-in-forms.js';
import { legacyRoutes } from './legacy.js';
import { showPortal } from './pages.js';
import { PORTAL_PATHS } from './portal-http.js';

type PageHandler = (
  deps: ServerDeps,
  environment: Environment,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply>;

const ENVIRONMENTS: readonly Environment[] = ['live', 'sandbox'];

export function portalRoutes(app: FastifyInstance, deps: ServerDeps): void {
  for (const environment of ENVIRONMENTS) {
    const base = `${PORTAL_PATHS[environment]}/:portalId`;
    const route = (handler: PageHandler) => (request: FastifyRequest, reply: FastifyReply) =>
      handler(deps, environment, request, reply);
    app.get(base, route(showPortal));
    app.post(`${base}/sign-in`, route(signIn));
    app.post(`${base}/sign-in/link`, route(signInByLink));
    app.post(`${base}/sign-in/code`, route(signInByCode));
    app.post(`${base}/sign-out`, route(signOut));
    app.post(`${base}/subscriptions/:subscriptionId/cancel`, route(cancel));
    app.post(`${base}/subscriptions/:subscriptionId/payment-method`, route(updatePaymentMethod));
  }
  legacyRoutes(app, deps);
}
