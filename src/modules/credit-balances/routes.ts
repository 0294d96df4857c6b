import type { FastifyInstance } from 'fastify';
import { operation, type ServerDeps } from '../../http/operation.js';
import { listCreditBalances } from './service.js';

export function creditBalanceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-credit-balances', async ({ ctx, params, query }) => ({
    data: await listCreditBalances(ctx, params.customer_id, query.currency_code),
  }));
}
