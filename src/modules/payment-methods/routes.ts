import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { deletePaymentMethod, getPaymentMethod, listPaymentMethods } from './service.js';

export function paymentMethodRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-customer-payment-methods', async ({ ctx, op, query, params }) => {
    const page = pageRequest(op, query);
    const result = await listPaymentMethods(
      ctx,
      params.customer_id,
      {
        address_id: query.address_id,
        supports_checkout: query.supports_checkout,
      },
      page,
    );
    return { page: result.page, data: result.data, perPage: page.perPage };
  });

  operation(app, deps, 'get-customer-payment-method', async ({ ctx, params }) => ({
    data: await getPaymentMethod(ctx, params.customer_id, params.payment_method_id),
  }));

  operation(app, deps, 'delete-customer-payment-method', async ({ ctx, params }) => {
    await deletePaymentMethod(ctx, params.customer_id, params.payment_method_id);
    return { noContent: true };
  });
}
