// Customers: email is unique per seller and environment (case-insensitively), as in Paddle.
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import { customDataColumn } from '../../db/json.js';
import type { Page, PageRequest } from '../../db/pagination.js';
import type { CustomerRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { PaddleError, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import {
  findCustomer,
  findCustomerByEmail,
  insertCustomer,
  listCustomers as listRows,
  updateCustomer as updateRow,
  type CustomerFilters,
} from './repository.js';
import type { OperationBody } from '../../spec/operations.js';
import { serializeCustomer } from './serialize.js';

/** The body of Paddle's create-customer: `email` required; `name`, `custom_data`, `locale` optional. */
export type CreateCustomerInput = OperationBody<'create-customer'>;

/** The body of Paddle's update-customer: every field optional; `null` clears `name` and `custom_data`. */
export type CustomerInput = OperationBody<'update-customer'>;

function emailTaken(existingId: string): PaddleError {
  return new PaddleError('customer_already_exists', `customer email conflicts with customer of id ${existingId}`);
}

async function assertEmailFree(ctx: Ctx, email: string, exceptId?: string): Promise<void> {
  const existing = await findCustomerByEmail(ctx.db, ctx.tenant, email);
  if (existing && existing.id !== exceptId) throw emailTaken(existing.id);
}

/** Loads a customer of the tenant or throws Paddle's 404. */
export async function getCustomerRow(ctx: Ctx, id: string): Promise<CustomerRow> {
  const row = await findCustomer(ctx.db, ctx.tenant, id);
  if (!row) throw notFound(id);
  return row;
}

export async function getCustomer(ctx: Ctx, id: string) {
  return serializeCustomer(await getCustomerRow(ctx, id));
}

export async function listCustomers(ctx: Ctx, filters: CustomerFilters, page: PageRequest): Promise<Page<CustomerRow>> {
  return listRows(ctx.db, ctx.tenant, filters, page);
}

export async function createCustomer(ctx: Ctx, input: CreateCustomerInput) {
  return withTransaction(ctx, async (ctx) => {
    const now = ctx.clock.now();
    const stored = toStoredTime(now);
    const row: CustomerRow = {
      ...ctx.tenant,
      id: newId('customer'),
      name: input.name ?? null,
      email: input.email,
      email_key: input.email.toLowerCase(),
      marketing_consent: 0n,
      status: 'active',
      custom_data: customDataColumn.encode(input.custom_data),
      locale: input.locale ?? 'en',
      import_meta: null,
      created_at: stored,
      updated_at: stored,
    };
    if (!(await insertCustomer(ctx.db, row))) {
      const existing = await findCustomerByEmail(ctx.db, ctx.tenant, input.email);
      // @NOTE the conflicting customer is in the tenant (the unique index says so) and nothing deletes customers.
      throw emailTaken(existing?.id ?? '');
    }
    const entity = serializeCustomer(row);
    await recordEvent(ctx, 'customer.created', entity);
    return entity;
  });
}

export async function updateCustomer(ctx: Ctx, id: string, input: CustomerInput) {
  return withTransaction(ctx, (ctx) => updateCustomerWithin(ctx, id, input));
}

/** `updateCustomer` inside the caller's database transaction (e.g. revising a transaction's customer). */
export async function updateCustomerWithin(ctx: TxCtx, id: string, input: CustomerInput) {
  const current = await getCustomerRow(ctx, id);
  if (input.email !== undefined) await assertEmailFree(ctx, input.email, id);
  const next: CustomerRow = {
    ...current,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.email !== undefined ? { email: input.email, email_key: input.email.toLowerCase() } : {}),
    ...(input.custom_data !== undefined ? { custom_data: customDataColumn.encode(input.custom_data) } : {}),
    ...(input.locale !== undefined ? { locale: input.locale } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    updated_at: toStoredTime(ctx.clock.now()),
  };
  await updateRow(ctx.db, next);
  const entity = serializeCustomer(next);
  await recordEvent(ctx, 'customer.updated', entity);
  return entity;
}
