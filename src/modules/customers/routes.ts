import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { serializedOnce } from '../../kernel/json-text.js';
import { serializeCustomer } from './serialize.js';
import { createCustomer, getCustomerRow, listCustomers, updateCustomer } from './service.js';

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
    return {
      page: result,
      data: result.rows.map((row) => serializedOnce(row, serializeCustomer)),
      perPage: page.perPage,
    };
  });

  operation(app, deps, 'create-customer', async ({ ctx, body }) => ({ data: await createCustomer(ctx, body) }));

  operation(
    app,
    deps,
    'get-customer',
    async ({ ctx, params }) => ({
      data: serializedOnce(await getCustomerRow(ctx, params.customer_id), serializeCustomer),
    }),
    { readsRow: 'customers' },
  );

  operation(app, deps, 'update-customer', async ({ ctx, params, body }) => ({
    data: await updateCustomer(ctx, params.customer_id, body),
  }));
}
