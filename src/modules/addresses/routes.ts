import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { serializeAddress } from './serialize.js';
import { createAddress, getAddress, listAddresses, updateAddress } from './service.js';

export function addressRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-addresses', async ({ ctx, op, params, query }) => {
    const page = pageRequest(op, query);
    const result = await listAddresses(
      ctx,
      params.customer_id,
      {
        id: query.id,
        status: query.status ?? ['active'],
        search: query.search,
      },
      page,
    );
    return { page: result, data: result.rows.map(serializeAddress), perPage: page.perPage };
  });

  operation(app, deps, 'create-address', async ({ ctx, params, body }) => ({
    data: await createAddress(ctx, params.customer_id, body),
  }));

  operation(app, deps, 'get-address', async ({ ctx, params }) => ({
    data: await getAddress(ctx, params.customer_id, params.address_id),
  }));

  operation(app, deps, 'update-address', async ({ ctx, params, body }) => ({
    data: await updateAddress(ctx, params.customer_id, params.address_id, body),
  }));
}
