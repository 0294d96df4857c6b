import type { Executor, Trx } from '../../db/database.js';
import type { CreditBalanceRow, Tenant } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';

export async function listBalances(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  currencies?: string[],
): Promise<CreditBalanceRow[]> {
  let query = tenantRows(db, 'credit_balances', tenant).where('customer_id', '=', customerId);
  if (currencies) query = query.where('currency_code', 'in', currencies);
  return query.orderBy('currency_code').execute();
}

/** The balance row for one currency, locked for the rest of the transaction on PostgreSQL. */
export async function lockBalance(
  db: Trx,
  tenant: Tenant,
  customerId: string,
  currency: string,
  dialect: 'sqlite' | 'postgres',
) {
  let query = tenantRows(db, 'credit_balances', tenant)
    .where('customer_id', '=', customerId)
    .where('currency_code', '=', currency);
  if (dialect === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function upsertBalance(db: Executor, row: CreditBalanceRow): Promise<void> {
  await db
    .insertInto('credit_balances')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['seller_id', 'environment', 'customer_id', 'currency_code']).doUpdateSet({
        available: row.available,
        reserved: row.reserved,
        used: row.used,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
