import type { FastifyInstance } from 'fastify';
import { operation, pageRequest, type ServerDeps } from '../../http/operation.js';
import { serializeEvent } from './serialize.js';
import { eventTypeFilter, listEvents, listEventTypes } from './service.js';

export function eventRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-events', async ({ ctx, op, query, rawQuery }) => {
    const page = pageRequest(op, query);
    const result = await listEvents(ctx, eventTypeFilter(rawQuery.event_type), page);
    return { page: result, data: result.rows.map(serializeEvent), perPage: page.perPage };
  });

  operation(app, deps, 'list-event-types', async () => ({ data: listEventTypes() }));
}
