import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { serializeCustomer } from './serialize.js';
import { createCustomer, getCustomer, listCustomers, updateCustomer } from './service.js';

export function customerRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-customers', async ({ ctx, op, query }) => {
    const page = pageRequest(op, query);
    const result = await listCustomers(
      ctx,
      {
        id: query.id,
        email: query.email,
        status: query.status ?? ['active'],
        search: query.search,
      },
      page,
    );
    return { page: result, data: result.rows.map(serializeCustomer), perPage: page.perPage };
  });

  operation(app, deps, 'create-customer', async ({ ctx, body }) => ({ data: await createCustomer(ctx, body) }));

  operation(app, deps, 'get-customer', async ({ ctx, params }) => ({
    data: await getCustomer(ctx, params.customer_id),
  }));

  operation(app, deps, 'update-customer', async ({ ctx, params, body }) => ({
    data: await updateCustomer(ctx, params.customer_id, body),
  }));
}
