import { sql } from 'kysely';
import { readKeptRows } from '../../db/kept-rows.js';
import type { Executor, Trx } from '../../db/database.js';
import { findById, lockById, updateById } from '../../db/find-by-id.js';
import { fetchPage, type Page, type PageRequest } from '../../db/pagination.js';
import type { PaymentAttemptRow, Tenant, TransactionRow } from '../../db/tables.js';
import { insertRows } from '../../db/insert-rows.js';
import { tenantQueryWith, tenantRows, tenantUpdate } from '../../db/tenant-rows.js';

export type TimeOperator = 'LT' | 'LTE' | 'GT' | 'GTE' | 'EQ';

export interface TimeFilter {
  operator: TimeOperator;
  /** Stored form (fixed-width microseconds), so text comparison is time comparison. */
  at: string;
}

export interface TransactionFilters {
  id?: string[];
  status?: string[];
  customer_id?: string[];
  /** `null` in the list means "transactions without a subscription". */
  subscription_id?: Array<string | null>;
  invoice_number?: string[];
  origin?: string[];
  collection_mode?: string;
  created_at?: TimeFilter[];
  updated_at?: TimeFilter[];
  billed_at?: TimeFilter[];
}

const OPERATORS: Record<TimeOperator, string> = { LT: '<', LTE: '<=', GT: '>', GTE: '>=', EQ: '=' };

export async function findTransaction(db: Executor, tenant: Tenant, id: string): Promise<TransactionRow | undefined> {
  return findById<TransactionRow>(db, 'transactions', tenant, id);
}

/** The row, locked until the end of the transaction on PostgreSQL (SQLite serialises writers anyway). */
export async function lockTransaction(
  db: Trx,
  tenant: Tenant,
  id: string,
  dialect: 'sqlite' | 'postgres',
): Promise<TransactionRow | undefined> {
  return lockById<TransactionRow>(db, 'transactions', tenant, id, dialect);
}

export async function listTransactions(
  db: Executor,
  tenant: Tenant,
  filters: TransactionFilters,
  page: PageRequest,
): Promise<Page<TransactionRow>> {
  let query = tenantRows(db, 'transactions', tenant);
  if (filters.id) query = query.where('id', 'in', filters.id);
  if (filters.status) query = query.where('status', 'in', filters.status);
  if (filters.customer_id) query = query.where('customer_id', 'in', filters.customer_id);
  if (filters.invoice_number) query = query.where('invoice_number', 'in', filters.invoice_number);
  if (filters.origin) query = query.where('origin', 'in', filters.origin);
  if (filters.collection_mode) query = query.where('collection_mode', '=', filters.collection_mode);
  if (filters.subscription_id) {
    const ids = filters.subscription_id.filter((id): id is string => id !== null);
    const wantsNone = filters.subscription_id.includes(null);
    query = query.where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb('subscription_id', 'in', ids)] : []),
        ...(wantsNone ? [eb('subscription_id', 'is', null)] : []),
      ]),
    );
  }
  for (const column of ['created_at', 'updated_at', 'billed_at'] as const) {
    for (const filter of filters[column] ?? []) {
      query = query.where(
        sql<boolean>`${sql.ref(`transactions.${column}`)} ${sql.raw(OPERATORS[filter.operator])} ${filter.at}`,
      );
    }
  }
  return fetchPage(db, 'transactions', query, page);
}

export async function insertTransaction(db: Executor, row: TransactionRow): Promise<void> {
  await insertRows(db, 'transactions', [row]);
}

/** Inserts many transaction rows (a batch transaction's renewals) in as few statements as the limits allow. */
export async function insertTransactions(db: Executor, rows: readonly TransactionRow[]): Promise<void> {
  await insertRows(db, 'transactions', rows);
}

export async function updateTransaction(db: Executor, row: TransactionRow): Promise<void> {
  await updateById(db, 'transactions', row);
}

/** Payment attempts of the given transactions, newest first (Paddle's order for `payments[]`). */
export async function paymentAttemptsOf(
  db: Executor,
  tenant: Tenant,
  transactionIds: readonly string[],
): Promise<readonly PaymentAttemptRow[]> {
  if (transactionIds.length === 0) return [];
  // @NOTE ids are `txn_` + 26 letters and digits: joined with commas they name the set unambiguously.
  const key = `payment attempts\u0000${tenant.seller_id}\u0000${tenant.environment}\u0000${transactionIds.join(',')}`;
  // @NOTE compiled once per number of ids: every payment and every transaction entity reads them (#10).
  const query = tenantQueryWith(
    db,
    `payment attempts of ${transactionIds.length}`,
    tenant,
    transactionIds,
    (db, tenant, ids) =>
      tenantRows(db, 'payment_attempts', tenant)
        .where('transaction_id', 'in', ids)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc'),
  );
  return readKeptRows(db, key, () => ({
    execute: async () => (await db.executeQuery(query)).rows,
  }));
}

export async function insertPaymentAttempt(db: Executor, row: PaymentAttemptRow): Promise<void> {
  await insertRows(db, 'payment_attempts', [row]);
}

/** Inserts many payment attempts (a batch transaction's renewals) in as few statements as the limits allow. */
export async function insertPaymentAttempts(db: Executor, rows: readonly PaymentAttemptRow[]): Promise<void> {
  await insertRows(db, 'payment_attempts', rows);
}

export async function updatePaymentAttempt(db: Executor, row: PaymentAttemptRow): Promise<void> {
  await updateById(db, 'payment_attempts', row);
}

/** Next invoice number of the environment; the row lock makes numbers unique and gapless per environment. */
export async function nextInvoiceSequence(db: Trx, tenant: Tenant): Promise<bigint> {
  return takeInvoiceSequences(db, tenant, 1);
}

/**
 * Takes `count` invoice sequences at once (a batch's transactions): answers the last one taken (the first is
 * `last - count + 1`), with the counter's row locked until the end of the transaction.
 */
export async function takeInvoiceSequences(db: Trx, tenant: Tenant, count: number): Promise<bigint> {
  // @NOTE compiled once (every payment and renewal batch takes numbers, #10); db/database.ts recognises this
  // update's text so that it does not count as a change of what the kept API keys read.
  const query = tenantQueryWith(db, 'take invoice sequences', tenant, [BigInt(count)], (db, tenant, [step]) =>
    tenantUpdate(db, 'seller_environments', tenant)
      .set((eb) => ({ invoice_sequence: eb('invoice_sequence', '+', step as unknown as bigint) }))
      .returning('invoice_sequence'),
  );
  const [row] = (await db.executeQuery(query)).rows;
  if (!row) throw new Error(`no seller environment ${tenant.seller_id}/${tenant.environment} to number invoices in`);
  return BigInt(row.invoice_sequence);
}

/** Writes the invoice numbers of several transactions (by id) in one update. */
export async function setInvoiceNumbers(db: Trx, tenant: Tenant, numbers: ReadonlyMap<string, string>): Promise<void> {
  if (numbers.size === 0) return;
  const cases = sql.join(
    [...numbers].map(([id, number]) => sql`when ${id} then ${number}`),
    sql` `,
  );
  await tenantUpdate(db, 'transactions', tenant)
    .set({ invoice_number: sql<string>`case ${sql.ref('id')} ${cases} end` })
    .where('id', 'in', [...numbers.keys()])
    .execute();
}
