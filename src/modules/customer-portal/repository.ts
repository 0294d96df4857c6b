import type { Executor } from '../../db/database.js';
import type { Environment } from '../../db/tables.js';

/**
 * The portals (`cpl_…`) of every seller in one environment, oldest seller first: how a legacy buyer-portal link,
 * which names only a subscription, finds the tenant to look the subscription up in.
 */
export async function portalsOfEnvironment(db: Executor, environment: Environment): Promise<Array<{ seller_id: string; portal_id: string }>> {
  return db
    .selectFrom('seller_environments')
    .select(['seller_id', 'portal_id'])
    .where('environment', '=', environment)
    .orderBy('created_at', 'asc')
    .orderBy('seller_id', 'asc')
    .execute();
}
