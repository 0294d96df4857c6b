// A customer's saved payment methods: saved when a checkout or payment succeeds, listed, read and deleted.
import { type Ctx, oncePerBatch, withTransaction, type TxCtx } from '../../context.js';
import type { PageRequest } from '../../db/pagination.js';
import type { PaymentMethodRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import { getCustomerRow } from '../customers/service.js';
import {
  findPaymentMethodsByIds,
  deletePaymentMethod as deleteRow,
  findPaymentMethod,
  insertPaymentMethod,
  listPaymentMethods as listRows,
  type PaymentMethodFilters,
} from './repository.js';
import {
  paymentMethodColumns,
  serializePaymentMethod,
  serializePaymentMethodDeleted,
  serializePaymentMethodSaved,
  type CardDetails,
  type PaymentMethodEntity,
} from './serialize.js';
import type { OperationQuery } from '../../spec/operations.js';

/**
 * The customer's saved method, or undefined when there is none by that id (a subscription may still name a method
 * the customer has since deleted). Database errors propagate.
 */
const batchKey = (customerId: string, id: string) => `payment-method:${customerId}/${id}`;

/**
 * Reads the payment methods `ids` in one query for the units of a batch transaction (renewals):
 * `findPaymentMethodRow` then finds them without a query of its own. Nothing outside a batch.
 */
export async function prefetchPaymentMethods(ctx: TxCtx, ids: readonly string[]): Promise<void> {
  const scope = ctx.scope;
  if (!scope) return;
  for (const row of await findPaymentMethodsByIds(ctx.db, ctx.tenant, ids)) {
    scope.remember(batchKey(row.customer_id, row.id), row);
  }
}

export async function findPaymentMethodRow(
  ctx: Ctx,
  customerId: string,
  id: string,
): Promise<PaymentMethodRow | undefined> {
  return oncePerBatch(ctx, batchKey(customerId, id), () => findPaymentMethod(ctx.db, ctx.tenant, customerId, id));
}

/** The customer's saved method; throws `not_found` for an unknown customer or method. */
export async function getPaymentMethodRow(ctx: Ctx, customerId: string, id: string): Promise<PaymentMethodRow> {
  await getCustomerRow(ctx, customerId);
  const row = await findPaymentMethod(ctx.db, ctx.tenant, customerId, id);
  if (!row) throw notFound(id);
  return row;
}

export async function getPaymentMethod(ctx: Ctx, customerId: string, id: string): Promise<PaymentMethodEntity> {
  return serializePaymentMethod(await getPaymentMethodRow(ctx, customerId, id));
}

/** @NOTE every saved method in Paddock is a card, and cards can be used at checkout, so supports_checkout=false lists none. */
export async function listPaymentMethods(
  ctx: Ctx,
  customerId: string,
  filters: PaymentMethodFilters & Pick<OperationQuery<'list-customer-payment-methods'>, 'supports_checkout'>,
  page: PageRequest,
) {
  await getCustomerRow(ctx, customerId);
  if (filters.supports_checkout === false) return { page: { rows: [], hasMore: false, estimatedTotal: 0 }, data: [] };
  const result = await listRows(ctx.db, ctx.tenant, customerId, filters, page);
  return { page: result, data: result.rows.map(serializePaymentMethod) };
}

export interface SaveCardInput {
  /** The id the payment attempt already named (Paddle gives a card its `paymtd_` id when it is first used). */
  id?: string;
  customerId: string;
  addressId: string;
  card: CardDetails;
  laterCharges: 'succeed' | 'decline';
  origin: 'saved_during_purchase' | 'subscription';
}

/** Saves a card inside the caller's database transaction and records `payment_method.saved`. */
export async function saveCard(ctx: TxCtx, input: SaveCardInput): Promise<PaymentMethodRow> {
  const now = ctx.clock.now();
  const stored = toStoredTime(now);
  const row: PaymentMethodRow = {
    ...ctx.tenant,
    id: input.id ?? newId('payment_method'),
    customer_id: input.customerId,
    address_id: input.addressId,
    type: 'card',
    card: paymentMethodColumns.card.encode(input.card),
    later_charges: input.laterCharges,
    origin: input.origin,
    saved_at: stored,
    updated_at: stored,
  };
  await insertPaymentMethod(ctx.db, row);
  await recordEvent(ctx, 'payment_method.saved', serializePaymentMethodSaved(row));
  return row;
}

export async function deletePaymentMethod(ctx: Ctx, customerId: string, id: string): Promise<void> {
  await withTransaction(ctx, async (ctx) => {
    const row = await getPaymentMethodRow(ctx, customerId, id);
    await deleteRow(ctx.db, ctx.tenant, customerId, id);
    await recordEvent(
      ctx,
      'payment_method.deleted',
      serializePaymentMethodDeleted({ ...row, updated_at: toStoredTime(ctx.clock.now()) }, 'api'),
    );
  });
}
