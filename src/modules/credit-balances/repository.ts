import type { Executor, Trx } from '../../db/database.js';
import type { CreditBalanceRow, Tenant } from '../../db/tables.js';
import { tenantQueryWith, tenantRows } from '../../db/tenant-rows.js';

/** Which of `customerIds` hold a credit balance row (in any currency). */
export async function customersWithBalances(
  db: Executor,
  tenant: Tenant,
  customerIds: readonly string[],
): Promise<Set<string>> {
  if (customerIds.length === 0) return new Set();
  const rows = await tenantRows(db, 'credit_balances', tenant)
    .select('customer_id')
    .where('customer_id', 'in', [...customerIds])
    .execute();
  return new Set(rows.map((row) => row.customer_id));
}

export async function listBalances(
  db: Executor,
  tenant: Tenant,
  customerId: string,
  currencies?: string[],
): Promise<CreditBalanceRow[]> {
  // @NOTE compiled once per number of currencies: every transaction priced for a customer asks it.
  const count = currencies?.length;
  const query = tenantQueryWith(
    db,
    `credit balances of a customer in ${count ?? 'all'} currencies`,
    tenant,
    [customerId, ...(currencies ?? [])],
    (db, tenant, [customer, ...codes]) => {
      let rows = tenantRows(db, 'credit_balances', tenant).where('customer_id', '=', customer as string);
      if (count !== undefined) rows = rows.where('currency_code', 'in', codes);
      return rows.orderBy('currency_code');
    },
  );
  return (await db.executeQuery(query)).rows;
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
