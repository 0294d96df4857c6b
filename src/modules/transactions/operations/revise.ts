// `POST /transactions/{id}/revise`: corrects the customer details shown on a billed or completed transaction's
// invoice (customer name, address lines, business name and tax number), once per transaction.
//
// @NOTE Paddle keeps a per-transaction copy of the customer, address and business, so a revision changes only
// what that transaction shows and leaves the entities alone. Paddock links transactions to the live entities (the
// invoice and `include=customer,address,business` read them), so a revision updates those entities, with their
// own `*.updated` events, and the transaction records `revised_at` and `transaction.revised`. One database
// transaction covers all of it.
import { type Ctx, withTransaction, type TxCtx } from '../../../context.js';
import type { TransactionRow } from '../../../db/tables.js';
import { recordEvent } from '../../../events/record.js';
import { PaddleError, invalidField, notFound, type FieldError } from '../../../kernel/errors.js';
import { toStoredTime } from '../../../kernel/time.js';
import { updateAddressWithin } from '../../addresses/service.js';
import { createBusinessWithin, getBusinessRow, updateBusinessWithin } from '../../businesses/service.js';
import { updateCustomerWithin } from '../../customers/service.js';
import { lockTransactionRow, updateTransactionRow } from '../batch-rows.js';
import type { TransactionEntity } from '../serialize.js';
import { transactionEntity, type PortalRef } from '../entity.js';
import type { OperationBody } from '../../../spec/operations.js';

/** The body of Paddle's revise-transaction: `customer`, `business` and `address`, each with the fields below. */
export type TransactionReviseInput = OperationBody<'revise-transaction'>;

/** What each part of the body may revise (Paddle's `transaction-revise`); nothing else, and never the country. */
const REVISABLE = {
  customer: ['name'],
  business: ['name', 'tax_identifier'],
  address: ['first_line', 'second_line', 'city', 'region'],
} as const;

type Part = keyof typeof REVISABLE;

/**
 * Refuses fields the spec does not list inside the parts (the top level is closed by the spec itself): above all
 * `address.country_code`, because the country decides the tax that was charged.
 */
function checkFields(input: TransactionReviseInput): void {
  const errors: FieldError[] = [];
  for (const part of Object.keys(REVISABLE) as Part[]) {
    const given = input[part] as Record<string, unknown> | undefined;
    for (const field of Object.keys(given ?? {})) {
      if ((REVISABLE[part] as readonly string[]).includes(field)) continue;
      const message =
        part === 'address' && (field === 'country_code' || field === 'postal_code')
          ? 'cannot be revised: it decides the tax charged'
          : 'property is not allowed';
      errors.push({ field: `${part}.${field}`, message });
    }
  }
  if (errors.length > 0) throw invalidField(errors);
}

/** The part's fields that were sent, or undefined when it has none. */
function changes<T extends object>(part: T | undefined): T | undefined {
  if (!part) return undefined;
  const present = Object.entries(part).filter(([, value]) => value !== undefined);
  return present.length > 0 ? (Object.fromEntries(present) as T) : undefined;
}

async function lockRow(ctx: TxCtx, id: string): Promise<TransactionRow> {
  const row = await lockTransactionRow(ctx, id);
  if (!row) throw notFound(id);
  if (row.status !== 'billed' && row.status !== 'completed') {
    throw new PaddleError('transaction_invalid_status_to_revise');
  }
  if (row.revised_at !== null) throw new PaddleError('transaction_revised_limit_reached');
  return row;
}

function requireLink(value: string | null, part: Part): string {
  if (value === null) throw invalidField([{ field: part, message: `the transaction has no ${part} to revise` }]);
  return value;
}

/**
 * The business part: revises the transaction's business, or creates one for a transaction that had none (a
 * buyer adding a tax number after checkout); then `name` is required. A tax number can be replaced, not removed.
 */
async function reviseBusiness(
  ctx: TxCtx,
  row: TransactionRow,
  customerId: string,
  business: NonNullable<TransactionReviseInput['business']>,
) {
  const blank = business.tax_identifier !== undefined && business.tax_identifier.trim() === '';
  const { tax_identifier, ...rest } = business;
  const input = blank ? rest : { ...rest, ...(tax_identifier !== undefined ? { tax_identifier } : {}) };
  if (row.business_id === null) {
    if (input.name === undefined) {
      throw invalidField([
        {
          field: 'business.name',
          message: 'field is required when the transaction has no business: revising creates one',
        },
      ]);
    }
    return (await createBusinessWithin(ctx, customerId, { ...input, name: input.name })).id;
  }
  const current = await getBusinessRow(ctx, customerId, row.business_id);
  if (blank && current.tax_identifier) {
    throw new PaddleError('transaction_cannot_be_revised_with_invalid_tax_identifier');
  }
  if (Object.keys(input).length > 0) await updateBusinessWithin(ctx, customerId, row.business_id, input);
  return row.business_id;
}

export async function reviseTransaction(
  ctx: Ctx,
  portal: PortalRef,
  id: string,
  input: TransactionReviseInput,
): Promise<TransactionEntity> {
  checkFields(input);
  const customer = changes(input.customer);
  const address = changes(input.address);
  const business = changes(input.business);
  return withTransaction(ctx, async (ctx) => {
    const row = await lockRow(ctx, id);
    if (!customer && !address && !business) {
      throw new PaddleError('transaction_nothing_to_revise');
    }
    const customerId = requireLink(row.customer_id, 'customer');
    if (customer) await updateCustomerWithin(ctx, customerId, customer);
    if (address) await updateAddressWithin(ctx, customerId, requireLink(row.address_id, 'address'), address);
    const businessId = business ? await reviseBusiness(ctx, row, customerId, business) : row.business_id;
    const stamp = toStoredTime(ctx.clock.now());
    const revised: TransactionRow = { ...row, business_id: businessId, revised_at: stamp, updated_at: stamp };
    await updateTransactionRow(ctx, revised);
    const entity = await transactionEntity(ctx, revised, portal.portalId);
    await recordEvent(ctx, 'transaction.revised', entity);
    return entity;
  });
}
