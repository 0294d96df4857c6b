// Old buyer-portal links (`/buyer-portal/subscriptions/{sub}/update-payment-method|cancel`, and the same under
// `/sandbox-buyer-portal/`) still sit in customers' inboxes: they answer 302 to the matching customer-portal link.
// A `?token=pga_…` that verifies for the subscription's customer is kept; any other token is dropped, so the
// portal asks the customer to sign in.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../db/tables.js';
import { ctxFor, type ServerDeps } from '../../http/operation.js';
import { legacyPortalLink, type LegacyAction } from '../../modules/customer-portal/service.js';
import { renderNotFoundPage } from './views.js';
import { pathParam, queryParam } from '../../http/request-values.js';
import { sendHtml } from '../shared/respond.js';

export const LEGACY_PATHS: Record<Environment, string> = { live: '/buyer-portal', sandbox: '/sandbox-buyer-portal' };

const ACTIONS: readonly LegacyAction[] = ['update-payment-method', 'cancel'];

async function redirectLegacy(
  deps: ServerDeps,
  environment: Environment,
  action: LegacyAction,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const subscriptionId = pathParam(request, 'subscriptionId');
  const token = queryParam(request, 'token');
  const location = await legacyPortalLink(
    (portal) => ctxFor(deps, portal),
    deps.db,
    environment,
    subscriptionId,
    action,
    token,
  );
  reply.header('cache-control', 'no-store');
  if (!location) {
    const page = renderNotFoundPage({
      seller_name: null,
      customer_email: null,
      overview_url: '',
      sign_out: null,
      sandbox: environment === 'sandbox',
    });
    return sendHtml(reply, 404, page);
  }
  return reply.redirect(location, 302);
}

export function legacyRoutes(app: FastifyInstance, deps: ServerDeps): void {
  for (const environment of ['live', 'sandbox'] as const) {
    for (const action of ACTIONS) {
      app.get(`${LEGACY_PATHS[environment]}/subscriptions/:subscriptionId/${action}`, (request, reply) =>
        redirectLegacy(deps, environment, action, request, reply),
      );
    }
  }
}
