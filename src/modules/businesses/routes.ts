import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { serializeBusiness } from './serialize.js';
import { createBusiness, getBusiness, listBusinesses, updateBusiness } from './service.js';

export function businessRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-businesses', async ({ ctx, op, params, query }) => {
    const page = pageRequest(op, query);
    const result = await listBusinesses(
      ctx,
      params.customer_id as string,
      {
        id: query.id as string[] | undefined,
        status: (query.status as string[] | undefined) ?? ['active'],
        search: query.search as string | undefined,
      },
      page,
    );
    return { page: result, data: result.rows.map(serializeBusiness), perPage: page.perPage };
  });

  operation(app, deps, 'create-business', async ({ ctx, params, body }) => ({
    data: await createBusiness(ctx, params.customer_id as string, body),
  }));

  operation(app, deps, 'get-business', async ({ ctx, params }) => ({
    data: await getBusiness(ctx, params.customer_id as string, params.business_id as string),
  }));

  operation(app, deps, 'update-business', async ({ ctx, params, body }) => ({
    data: await updateBusiness(ctx, params.customer_id as string, params.business_id as string, body),
  }));
}
