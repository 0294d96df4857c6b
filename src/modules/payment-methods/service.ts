// A customer's saved payment methods: saved when a checkout or payment succeeds, listed, read and deleted.
import type { Ctx } from '../../context.js';
import type { Executor } from '../../db/database.js';
import type { PageRequest } from '../../db/pagination.js';
import type { PaymentMethodRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import { getCustomerRow } from '../customers/service.js';
import {
  deletePaymentMethod as deleteRow,
  findPaymentMethod,
  insertPaymentMethod,
  listPaymentMethods as listRows,
  type PaymentMethodFilters,
} from './repository.js';
import { serializePaymentMethod, type CardDetails, type PaymentMethodEntity } from './serialize.js';
import type { OperationQuery } from '../../spec/operations.js';

export async function getPaymentMethodRow(
  db: Executor,
  ctx: Ctx,
  customerId: string,
  id: string,
): Promise<PaymentMethodRow> {
  await getCustomerRow(db, ctx, customerId);
  const row = await findPaymentMethod(db, ctx.tenant, customerId, id);
  if (!row) throw notFound(id);
  return row;
}

export async function getPaymentMethod(ctx: Ctx, customerId: string, id: string): Promise<PaymentMethodEntity> {
  return serializePaymentMethod(await getPaymentMethodRow(ctx.db, ctx, customerId, id));
}

/** @NOTE every saved method in Paddock is a card, and cards can be used at checkout, so supports_checkout=false lists none. */
export async function listPaymentMethods(
  ctx: Ctx,
  customerId: string,
  filters: PaymentMethodFilters & Pick<OperationQuery<'list-customer-payment-methods'>, 'supports_checkout'>,
  page: PageRequest,
) {
  await getCustomerRow(ctx.db, ctx, customerId);
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
export async function saveCard(trx: Executor, ctx: Ctx, input: SaveCardInput): Promise<PaymentMethodRow> {
  const now = ctx.clock.now();
  const stored = toStoredTime(now);
  const row: PaymentMethodRow = {
    ...ctx.tenant,
    id: input.id ?? newId('payment_method', now.epochMilliseconds),
    customer_id: input.customerId,
    address_id: input.addressId,
    type: 'card',
    card: JSON.stringify(input.card),
    later_charges: input.laterCharges,
    origin: input.origin,
    saved_at: stored,
    updated_at: stored,
  };
  await insertPaymentMethod(trx, row);
  await recordEvent(trx, ctx, 'payment_method.saved', serializePaymentMethod(row));
  return row;
}

export async function deletePaymentMethod(ctx: Ctx, customerId: string, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await getPaymentMethodRow(trx, ctx, customerId, id);
    await deleteRow(trx, ctx.tenant, customerId, id);
    await recordEvent(
      trx,
      ctx,
      'payment_method.deleted',
      serializePaymentMethod({ ...row, updated_at: toStoredTime(ctx.clock.now()) }),
    );
  });
}
