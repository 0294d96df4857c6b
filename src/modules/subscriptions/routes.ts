import type { FastifyInstance } from 'fastify';
import { hasPermission, type Caller } from '../../http/auth.js';
import { includes, operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import {
  activateSubscription,
  cancelSubscription,
  listSubscriptions,
  pauseSubscription,
  resumeSubscription,
  type Viewer,
} from './service.js';
import { updateSubscription } from './operations/update.js';
import { getUpdatePaymentMethodTransaction, withReadableRelations } from './operations/update-payment-method.js';
import { createSubscriptionCharge } from './operations/charge.js';
import { previewSubscriptionCharge, previewSubscriptionUpdate } from './operations/preview.js';
import { getSubscriptionWithIncludes } from './includes.js';

function viewer({ caller }: { caller: Caller }): Viewer {
  return {
    portalId: caller.portalId,
    canMintPortalTokens: hasPermission(caller, 'customer_portal_session.write'),
    signingSecret: caller.portalSigningSecret,
  };
}

const id = (request: { params: { subscription_id: string } }) => request.params.subscription_id;

export function subscriptionRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-subscriptions', async (request) => {
    const { ctx, op, query } = request;
    const page = pageRequest(op, query);
    const result = await listSubscriptions(
      ctx,
      viewer(request),
      {
        id: query.id,
        customer_id: query.customer_id,
        address_id: query.address_id,
        price_id: query.price_id,
        status: query.status,
        collection_mode: query.collection_mode,
        scheduled_change_action: query.scheduled_change_action,
      },
      page,
    );
    return { page: result.page, data: result.data, perPage: page.perPage };
  });

  operation(
    app,
    deps,
    'get-subscription',
    async (request) => ({
      data: await getSubscriptionWithIncludes(request.ctx, viewer(request), id(request), includes(request)),
    }),
    { readsRow: 'subscriptions' },
  );

  operation(app, deps, 'update-subscription', async (request) => ({
    data: await updateSubscription(request.ctx, viewer(request), id(request), request.body),
  }));

  operation(app, deps, 'preview-subscription-update', async (request) => ({
    data: await previewSubscriptionUpdate(request.ctx, viewer(request), id(request), request.body),
  }));

  operation(app, deps, 'create-subscription-charge', async (request) => ({
    data: await createSubscriptionCharge(request.ctx, viewer(request), id(request), request.body),
  }));

  operation(app, deps, 'preview-subscription-charge', async (request) => ({
    data: await previewSubscriptionCharge(request.ctx, viewer(request), id(request), request.body),
  }));

  operation(app, deps, 'cancel-subscription', async (request) => ({
    data: await cancelSubscription(request.ctx, viewer(request), id(request), request.body),
  }));

  operation(app, deps, 'pause-subscription', async (request) => ({
    data: await pauseSubscription(request.ctx, viewer(request), id(request), request.body),
  }));

  operation(app, deps, 'resume-subscription', async (request) => ({
    data: await resumeSubscription(request.ctx, viewer(request), id(request), request.body),
  }));

  operation(app, deps, 'activate-subscription', async (request) => ({
    data: await activateSubscription(request.ctx, viewer(request), id(request)),
  }));

  operation(app, deps, 'get-subscription-update-payment-method-transaction', async (request) => {
    const entity = await getUpdatePaymentMethodTransaction(request.ctx, request.caller, id(request));
    return {
      data: await withReadableRelations(request.ctx, entity, (permission) => hasPermission(request.caller, permission)),
    };
  });
}
