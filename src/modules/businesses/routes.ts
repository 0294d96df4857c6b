import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { serializeBusiness } from './serialize.js';
import { createBusiness, getBusiness, listBusinesses, updateBusiness } from './service.js';

export function businessRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-businesses', async ({ ctx, op, params, query }) => {
    const page = pageRequest(op, query);
    const result = await listBusinesses(
      ctx,
      params.customer_id,
      {
        id: query.id,
        status: query.status ?? ['active'],
        search: query.search,
      },
      page,
    );
    return { page: result, data: result.rows.map(serializeBusiness), perPage: page.perPage };
  });

  operation(app, deps, 'create-business', async ({ ctx, params, body }) => ({
    data: await createBusiness(ctx, params.customer_id, body),
  }));

  operation(app, deps, 'get-business', async ({ ctx, params }) => ({
    data: await getBusiness(ctx, params.customer_id, params.business_id),
  }));

  operation(app, deps, 'update-business', async ({ ctx, params, body }) => ({
    data: await updateBusiness(ctx, params.customer_id, params.business_id, body),
  }));
}
