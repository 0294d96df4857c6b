// Businesses belong to one customer: every read and write goes through the customer, so a business is
// never found under another customer's id.
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import type { Page, PageRequest } from '../../db/pagination.js';
import type { BusinessRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { entityArchived, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import { getCustomerRow } from '../customers/service.js';
import {
  findBusiness,
  insertBusiness,
  listBusinesses as listRows,
  updateBusiness as updateRow,
  type BusinessFilters,
} from './repository.js';
import { businessColumns, serializeBusiness, type BusinessContact } from './serialize.js';
import type { OperationBody } from '../../spec/operations.js';

/** The body of Paddle's create-business: `name` required; `contacts` a list of `{ name?, email }`. */
export type CreateBusinessInput = OperationBody<'create-business'>;

/** The body of Paddle's update-business: every field optional; `null` clears a field. */
export type BusinessInput = OperationBody<'update-business'>;

/**
 * The entity always lists `contacts` with a `name` and an `email`, though a request may leave out the name or
 * send `null` for the list: a missing name is stored as '', a null list as [].
 */
function contactsColumn(contacts: BusinessInput['contacts']): string {
  const normalized: BusinessContact[] = (contacts ?? []).map((contact) => ({
    name: contact.name ?? '',
    email: contact.email,
  }));
  return businessColumns.contacts.encode(normalized);
}

/** Loads a business of the tenant's customer or throws Paddle's 404 (unknown customer first, then business). */
export async function getBusinessRow(ctx: Ctx, customerId: string, id: string): Promise<BusinessRow> {
  const row = await findBusiness(ctx.db, ctx.tenant, customerId, id);
  // @NOTE a row found under the customer proves the customer exists; only a miss reads the customer, so that an
  // unknown customer is reported as such (one read fewer on the common path, #13).
  if (row) return row;
  await getCustomerRow(ctx, customerId);
  throw notFound(id);
}

export async function getBusiness(ctx: Ctx, customerId: string, id: string) {
  return serializeBusiness(await getBusinessRow(ctx, customerId, id));
}

export async function listBusinesses(
  ctx: Ctx,
  customerId: string,
  filters: BusinessFilters,
  page: PageRequest,
): Promise<Page<BusinessRow>> {
  await getCustomerRow(ctx, customerId);
  return listRows(ctx.db, ctx.tenant, customerId, filters, page);
}

export async function createBusiness(ctx: Ctx, customerId: string, input: CreateBusinessInput) {
  return withTransaction(ctx, (ctx) => createBusinessWithin(ctx, customerId, input));
}

/** `createBusiness` inside the caller's database transaction (e.g. revising a transaction that had no business). */
export async function createBusinessWithin(ctx: TxCtx, customerId: string, input: CreateBusinessInput) {
  const customer = await getCustomerRow(ctx, customerId);
  if (customer.status === 'archived') {
    throw entityArchived('customer', customer.id);
  }
  const now = ctx.clock.now();
  const stored = toStoredTime(now);
  const row: BusinessRow = {
    ...ctx.tenant,
    id: newId('business'),
    customer_id: customer.id,
    name: input.name,
    company_number: input.company_number ?? null,
    tax_identifier: input.tax_identifier ?? null,
    contacts: contactsColumn(input.contacts),
    custom_data: businessColumns.custom_data.encode(input.custom_data),
    status: 'active',
    import_meta: null,
    created_at: stored,
    updated_at: stored,
  };
  await insertBusiness(ctx.db, row);
  const entity = serializeBusiness(row);
  await recordEvent(ctx, 'business.created', entity);
  return entity;
}

export async function updateBusiness(ctx: Ctx, customerId: string, id: string, input: BusinessInput) {
  return withTransaction(ctx, (ctx) => updateBusinessWithin(ctx, customerId, id, input));
}

/** `updateBusiness` inside the caller's database transaction (e.g. revising a transaction's business). */
export async function updateBusinessWithin(ctx: TxCtx, customerId: string, id: string, input: BusinessInput) {
  const current = await getBusinessRow(ctx, customerId, id);
  const next: BusinessRow = {
    ...current,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.company_number !== undefined ? { company_number: input.company_number } : {}),
    ...(input.tax_identifier !== undefined ? { tax_identifier: input.tax_identifier } : {}),
    ...(input.contacts !== undefined ? { contacts: contactsColumn(input.contacts) } : {}),
    ...(input.custom_data !== undefined ? { custom_data: businessColumns.custom_data.encode(input.custom_data) } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    updated_at: toStoredTime(ctx.clock.now()),
  };
  await updateRow(ctx.db, next);
  const entity = serializeBusiness(next);
  await recordEvent(ctx, 'business.updated', entity);
  return entity;
}
