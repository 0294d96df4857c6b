// Adjustments: refunds and credits of billed or completed transactions (Paddle's `/adjustments`). A refund takes
// money back from a completed transaction and waits for approval (Paddle approves sandbox refunds within ten
// minutes; Paddock approves every refund ten minutes after it is made, on the tenant's clock: there is no reviewer);
// a credit lowers what is due on a billed (or past-due) manually-collected invoice and is approved at once. Once
// approved, the transaction's adjusted totals lose what the adjustment took. Each change is one database transaction
// with the transaction row locked, so two adjustments can never take the same money twice.
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import type { PageRequest } from '../../db/pagination.js';
import type { AdjustmentRow, TransactionRow } from '../../db/tables.js';
import {
  adjustmentFee,
  adjustmentFigures,
  type AdjustedFigures,
  type AdjustedItem,
  type AdjustmentItemRequest,
} from '../../billing/adjustments.js';
import { DomainError } from '../../billing/errors.js';
import { adjustedPayoutTotals, type PayoutTotals } from '../../billing/payouts.js';
import { recordEvent } from '../../events/record.js';
import { invalidField, type FieldError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime, type Instant } from '../../kernel/time.js';
import { portalOfTenant } from '../sellers/service.js';
import { adjustableLines, lockForAdjustment, recordApprovedAdjustment } from '../transactions/operations/adjust.js';
import { transactionColumns } from '../transactions/columns.js';
import type { OperationBody, OperationQuery } from '../../spec/operations.js';
import {
  adjustmentsOfTransactions,
  insertAdjustment,
  listAdjustments as listRows,
  updateAdjustment,
} from './repository.js';
import { adjustmentColumns, type StoredAdjustmentItem, type StoredTaxRateUsed } from './columns.js';
import { serializeAdjustment, type AdjustmentEntity } from './serialize.js';

export type CreateAdjustmentInput = OperationBody<'create-adjustment'>;
export type AdjustmentQuery = OperationQuery<'list-adjustments'>;

/** How long a refund waits for approval, on the tenant's clock (Paddle: sandbox refunds "every ten minutes"). */
export const REFUND_APPROVAL_MINUTES = 10;

/** Statuses whose adjustments count against what is left of a transaction (rejected and reversed ones do not). */
const COUNTING = new Set(['pending_approval', 'approved']);

/** Per transaction item, what the counting adjustments took. */
function takenByItem(adjustments: readonly AdjustmentRow[]): Map<string, AdjustedFigures> {
  const taken = new Map<string, AdjustedFigures>();
  for (const adjustment of adjustments.filter((row) => COUNTING.has(row.status))) {
    for (const item of adjustmentColumns.items.decode(adjustment.items)) {
      const before = taken.get(item.item_id) ?? { subtotal: 0n, tax: 0n, total: 0n };
      taken.set(item.item_id, {
        subtotal: before.subtotal + BigInt(item.totals.subtotal),
        tax: before.tax + BigInt(item.totals.tax),
        total: before.total + BigInt(item.totals.total),
      });
    }
  }
  return taken;
}

/** Refunds need a completed transaction; credits a billed or past-due manually-collected one (Paddle's rules). */
function assertAdjustable(transaction: TransactionRow, action: CreateAdjustmentInput['action']): void {
  if (action === 'refund' && transaction.status !== 'completed') {
    throw new DomainError(
      'adjustment_transaction_invalid_status_for_refund',
      `The transaction being adjusted (refund) has a non supported status. ID: ${transaction.id}`,
    );
  }
  const creditable =
    transaction.collection_mode === 'manual' && (transaction.status === 'billed' || transaction.status === 'past_due');
  if (action === 'credit' && !creditable) {
    throw new DomainError(
      'adjustment_transaction_invalid_status_for_credit',
      `The transaction being adjusted (credit) has a non supported status. ID: ${transaction.id}`,
    );
  }
  if (action !== 'refund' && action !== 'credit') {
    throw new DomainError('invalid_field', undefined, [
      { field: 'action', message: 'must be refund or credit: other actions are made by Paddle, not the API' },
    ]);
  }
}

function taxRatesUsed(items: readonly AdjustedItem[]): StoredTaxRateUsed[] {
  const byRate = new Map<string, AdjustedFigures>();
  for (const item of items) {
    const before = byRate.get(item.tax_rate) ?? { subtotal: 0n, tax: 0n, total: 0n };
    byRate.set(item.tax_rate, {
      subtotal: before.subtotal + item.totals.subtotal,
      tax: before.tax + item.totals.tax,
      total: before.total + item.totals.total,
    });
  }
  return [...byRate].map(([tax_rate, totals]) => ({ tax_rate, totals: wireFigures(totals) }));
}

const wireFigures = (figures: AdjustedFigures) => ({
  subtotal: figures.subtotal.toString(),
  tax: figures.tax.toString(),
  total: figures.total.toString(),
});

/** The items asked for: `full` or `partial` (Paddle sets `tax` and `proration` items itself). */
function requestedItems(items: NonNullable<CreateAdjustmentInput['items']>): AdjustmentItemRequest[] {
  const errors: FieldError[] = [];
  const requested = items.flatMap((item, index): AdjustmentItemRequest[] => {
    if (item.type === 'full' || item.type === 'partial') {
      return [{ item_id: item.item_id, type: item.type, amount: item.amount ?? null }];
    }
    errors.push({ field: `items[${index}].type`, message: 'must be full or partial' });
    return [];
  });
  if (errors.length > 0) throw invalidField(errors);
  return requested;
}

/** The new adjustment's row: its items and totals from what is left of the transaction's lines. */
function newAdjustmentRow(
  ctx: Ctx,
  transaction: TransactionRow,
  input: CreateAdjustmentInput,
  earlier: readonly AdjustmentRow[],
): AdjustmentRow {
  const type = input.type ?? 'partial';
  if (type === 'partial' && (input.items ?? []).length === 0) {
    throw invalidField([{ field: 'items', message: 'required for a partial adjustment (or send type full)' }]);
  }
  const figures = adjustmentFigures(adjustableLines(transaction, takenByItem(earlier)), {
    type,
    items: requestedItems(input.items ?? []),
    tax_mode: input.tax_mode ?? 'internal',
  });
  const now = ctx.clock.now();
  const stamp = toStoredTime(now);
  const details = transactionColumns.details.decode(transaction.details);
  const transactionFee = details.totals.fee === null ? null : BigInt(details.totals.fee);
  const transactionTotal = BigInt(details.totals.total);
  // Each item carries its share of Paddle's fee (the SDKs' item totals have fee and earnings); the adjustment's fee
  // is their sum, so the two always agree.
  const items: StoredAdjustmentItem[] = figures.items.map((item) => {
    const itemFee = adjustmentFee(transactionFee, item.totals.total, transactionTotal);
    return {
      id: newId('adjustment_item'),
      item_id: item.item_id,
      type: item.type,
      amount: item.amount.toString(),
      proration: null,
      totals: {
        ...wireFigures(item.totals),
        fee: itemFee.toString(),
        earnings: (item.totals.subtotal - itemFee).toString(),
        currency_code: transaction.currency_code,
      },
    };
  });
  const fee = items.reduce((sum, item) => sum + BigInt(item.totals.fee), 0n);
  const refund = input.action === 'refund';
  // Paddle keeps its fee on what a refund returns (`retained_fee`, September 2025): the seller's earnings lose the
  // whole refunded subtotal. A credit lowers an unpaid invoice, on which no fee was taken.
  const totals = {
    ...wireFigures(figures.totals),
    fee: fee.toString(),
    earnings: (figures.totals.subtotal - fee).toString(),
    retained_fee: (refund ? fee : 0n).toString(),
    currency_code: transaction.currency_code,
  };
  // @NOTE completion stores payout totals in this shape (billing/payouts.ts); null before completion.
  const payout = details.payout_totals as PayoutTotals | null | undefined;
  return {
    ...ctx.tenant,
    id: newId('adjustment'),
    action: input.action,
    type,
    transaction_id: transaction.id,
    subscription_id: transaction.subscription_id,
    customer_id: transaction.customer_id as string,
    reason: input.reason,
    credit_applied_to_balance: refund ? null : 0n,
    currency_code: transaction.currency_code,
    status: refund ? 'pending_approval' : 'approved',
    items: adjustmentColumns.items.encode(items),
    totals: adjustmentColumns.totals.encode(totals),
    payout_totals: adjustmentColumns.payout_totals.encode(payout ? adjustedPayoutTotals(totals, payout) : null),
    tax_rates_used: adjustmentColumns.tax_rates_used.encode(taxRatesUsed(figures.items)),
    approve_at: refund ? toStoredTime(now.add({ minutes: REFUND_APPROVAL_MINUTES })) : null,
    created_at: stamp,
    updated_at: stamp,
  };
}

/** An approved adjustment takes its figures from the transaction's adjusted totals. */
async function applyToTransaction(ctx: TxCtx, row: AdjustmentRow): Promise<void> {
  const totals = adjustmentColumns.totals.decode(row.totals);
  const portal = await portalOfTenant(ctx.db, ctx.tenant);
  await recordApprovedAdjustment(ctx, portal, row.transaction_id, {
    subtotal: BigInt(totals.subtotal),
    tax: BigInt(totals.tax),
    total: BigInt(totals.total),
    fee: BigInt(totals.fee),
    retained_fee: BigInt(totals.retained_fee),
  });
}

/**
 * `POST /adjustments`: a refund (pending approval) or credit (approved) of a transaction's items, or of all that is
 * left of it (`type: full`). Throws 404 for an unknown transaction, and Paddle's `adjustment_*` codes: wrong status
 * for the action, a pending refund already open, items unknown, zero, fully adjusted or over what is left.
 */
export async function createAdjustment(ctx: Ctx, input: CreateAdjustmentInput): Promise<AdjustmentEntity> {
  return withTransaction(ctx, async (ctx) => {
    const transaction = await lockForAdjustment(ctx, input.transaction_id);
    assertAdjustable(transaction, input.action);
    const earlier = await adjustmentsOfTransactions(ctx.db, ctx.tenant, [transaction.id]);
    if (earlier.some((row) => row.action === 'refund' && row.status === 'pending_approval')) {
      throw new DomainError('adjustment_pending_refund_request');
    }
    const row = newAdjustmentRow(ctx, transaction, input, earlier);
    await insertAdjustment(ctx.db, row);
    const entity = serializeAdjustment(row);
    await recordEvent(ctx, 'adjustment.created', entity);
    if (row.status === 'approved') await applyToTransaction(ctx, row);
    return entity;
  });
}

/**
 * Approves a pending refund whose time has come (the due work calls this with the row claimed): `approved`, its
 * `adjustment.updated` event, and the transaction's adjusted totals. Idempotent: anything but a due pending refund
 * is left as it is.
 */
export async function approveDueRefund(ctx: TxCtx, row: AdjustmentRow, now: Instant): Promise<boolean> {
  if (row.status !== 'pending_approval' || row.approve_at === null || row.approve_at > toStoredTime(now)) return false;
  const approved: AdjustmentRow = { ...row, status: 'approved', approve_at: null, updated_at: toStoredTime(now) };
  await updateAdjustment(ctx.db, approved);
  await recordEvent(ctx, 'adjustment.updated', serializeAdjustment(approved));
  await applyToTransaction(ctx, approved);
  return true;
}

export async function listAdjustments(ctx: Ctx, query: AdjustmentQuery, page: PageRequest) {
  const result = await listRows(
    ctx.db,
    ctx.tenant,
    {
      id: query.id,
      action: query.action,
      status: query.status,
      customer_id: query.customer_id,
      subscription_id: query.subscription_id,
      transaction_id: query.transaction_id,
    },
    page,
  );
  return { page: result, data: result.rows.map(serializeAdjustment) };
}

/** Whether the transaction has any adjustment (pending, approved or otherwise): Paddle then refuses to revise it. */
export async function hasAdjustments(ctx: Ctx, transactionId: string): Promise<boolean> {
  return (await adjustmentsOfTransactions(ctx.db, ctx.tenant, [transactionId])).length > 0;
}

/** Paddle's `adjustments_totals` include: what the transaction's adjustments add up to, by action. */
export interface AdjustmentsTotals {
  subtotal: string;
  tax: string;
  total: string;
  fee: string;
  earnings: string;
  breakdown: { credit: string; refund: string; chargeback: string };
  currency_code: string;
}

function totalsOf(entities: readonly AdjustmentEntity[], currency: string): AdjustmentsTotals {
  const add = (field: 'subtotal' | 'tax' | 'total' | 'fee' | 'earnings') =>
    entities.reduce((acc, entity) => acc + BigInt(entity.totals[field]), 0n).toString();
  const byAction = (action: string) =>
    entities
      .filter((entity) => entity.action === action)
      .reduce((acc, entity) => acc + BigInt(entity.totals.total), 0n)
      .toString();
  return {
    subtotal: add('subtotal'),
    tax: add('tax'),
    total: add('total'),
    fee: add('fee'),
    earnings: add('earnings'),
    breakdown: { credit: byAction('credit'), refund: byAction('refund'), chargeback: byAction('chargeback') },
    currency_code: currency,
  };
}

/**
 * For the transactions' `include=adjustments` and `include=adjustments_totals`: each transaction's adjustments
 * (oldest first) and their totals (approved ones only: what changed the transaction's adjusted totals).
 */
export async function adjustmentsForTransactions(
  ctx: Ctx,
  transactions: ReadonlyArray<{ id: string; currency_code: string }>,
): Promise<Map<string, { adjustments: AdjustmentEntity[]; totals: AdjustmentsTotals }>> {
  const rows = await adjustmentsOfTransactions(
    ctx.db,
    ctx.tenant,
    transactions.map((transaction) => transaction.id),
  );
  return new Map(
    transactions.map((transaction) => {
      const adjustments = rows.filter((row) => row.transaction_id === transaction.id).map(serializeAdjustment);
      const approved = adjustments.filter((entity) => entity.status === 'approved');
      return [transaction.id, { adjustments, totals: totalsOf(approved, transaction.currency_code) }];
    }),
  );
}
