// Addresses belong to one customer: every read and write goes through the customer, so an address is
// never found under another customer's id.
import { type Ctx, oncePerBatch, withTransaction, type TxCtx } from '../../context.js';
import { customDataColumn } from '../../db/json.js';
import type { Page, PageRequest } from '../../db/pagination.js';
import type { AddressRow, CustomerRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { entityArchived, invalidField, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import { getCustomerRow } from '../customers/service.js';
import {
  findAddressesByIds,
  findAddress,
  insertAddress,
  listAddresses as listRows,
  updateAddress as updateRow,
  type AddressFilters,
} from './repository.js';
import type { OperationBody } from '../../spec/operations.js';
import { serializeAddress } from './serialize.js';

/** The body of Paddle's create-address: `country_code` required, the rest optional (postal code rules below). */
export type CreateAddressInput = OperationBody<'create-address'>;

/** The body of Paddle's update-address: every field optional; `null` clears a text field. */
export type AddressInput = OperationBody<'update-address'>;

/**
 * Countries whose addresses need a postal code (Paddle's supported-countries table marks these; its create-address
 * page names the US and the UK as examples). Paddle's spec says only "required for some countries".
 */
export const POSTAL_CODE_COUNTRIES: ReadonlySet<string> = new Set([
  'AU',
  'CA',
  'DE',
  'ES',
  'FR',
  'GB',
  'IN',
  'IT',
  'NL',
  'US',
]);

function assertPostalCode(countryCode: string, postalCode: string | null): void {
  if (POSTAL_CODE_COUNTRIES.has(countryCode) && (postalCode === null || postalCode.trim() === '')) {
    throw invalidField([{ field: 'postal_code', message: `field is required when country_code is ${countryCode}` }]);
  }
}

function assertCustomerActive(customer: CustomerRow): void {
  if (customer.status === 'archived') {
    throw entityArchived('customer', customer.id);
  }
}

/** Loads an address of the tenant's customer or throws Paddle's 404 (unknown customer first, then address). */
const batchKey = (customerId: string, id: string) => `address:${customerId}/${id}`;

/**
 * Reads the addresses `ids` in one query for the units of a batch transaction (renewals): `getAddressRow` then
 * finds them without a query of its own. Nothing outside a batch.
 */
export async function prefetchAddresses(ctx: TxCtx, ids: readonly string[]): Promise<void> {
  const scope = ctx.scope;
  if (!scope) return;
  for (const row of await findAddressesByIds(ctx.db, ctx.tenant, ids))
    scope.remember(batchKey(row.customer_id, row.id), row);
}

export async function getAddressRow(ctx: Ctx, customerId: string, id: string): Promise<AddressRow> {
  const row = await oncePerBatch(ctx, batchKey(customerId, id), () => findAddress(ctx.db, ctx.tenant, customerId, id));
  // @NOTE a row found under the customer proves the customer exists; only a miss reads the customer, so that an
  // unknown customer is reported as such (one read fewer on the common path, #13).
  if (row) return row;
  await getCustomerRow(ctx, customerId);
  throw notFound(id);
}

export async function getAddress(ctx: Ctx, customerId: string, id: string) {
  return serializeAddress(await getAddressRow(ctx, customerId, id));
}

export async function listAddresses(
  ctx: Ctx,
  customerId: string,
  filters: AddressFilters,
  page: PageRequest,
): Promise<Page<AddressRow>> {
  await getCustomerRow(ctx, customerId);
  return listRows(ctx.db, ctx.tenant, customerId, filters, page);
}

export async function createAddress(ctx: Ctx, customerId: string, input: CreateAddressInput) {
  return withTransaction(ctx, async (ctx) => {
    const customer = await getCustomerRow(ctx, customerId);
    assertCustomerActive(customer);
    assertPostalCode(input.country_code, input.postal_code ?? null);
    const now = ctx.clock.now();
    const stored = toStoredTime(now);
    const row: AddressRow = {
      ...ctx.tenant,
      id: newId('address'),
      customer_id: customer.id,
      description: input.description ?? null,
      first_line: input.first_line ?? null,
      second_line: input.second_line ?? null,
      city: input.city ?? null,
      postal_code: input.postal_code ?? null,
      region: input.region ?? null,
      country_code: input.country_code,
      custom_data: customDataColumn.encode(input.custom_data),
      status: 'active',
      import_meta: null,
      created_at: stored,
      updated_at: stored,
    };
    await insertAddress(ctx.db, row);
    const entity = serializeAddress(row);
    await recordEvent(ctx, 'address.created', entity);
    return entity;
  });
}

const TEXT_FIELDS = ['description', 'first_line', 'second_line', 'city', 'postal_code', 'region'] as const;

export async function updateAddress(ctx: Ctx, customerId: string, id: string, input: AddressInput) {
  return withTransaction(ctx, (ctx) => updateAddressWithin(ctx, customerId, id, input));
}

/** `updateAddress` inside the caller's database transaction (e.g. revising a transaction's address). */
export async function updateAddressWithin(ctx: TxCtx, customerId: string, id: string, input: AddressInput) {
  const current = await getAddressRow(ctx, customerId, id);
  const next: AddressRow = { ...current, updated_at: toStoredTime(ctx.clock.now()) };
  for (const field of TEXT_FIELDS) {
    const value = input[field];
    if (value !== undefined) next[field] = value;
  }
  if (input.country_code !== undefined) next.country_code = input.country_code;
  if (input.custom_data !== undefined) next.custom_data = customDataColumn.encode(input.custom_data);
  if (input.status !== undefined) next.status = input.status;
  // @NOTE checked only when the request touches the country or postal code, so an imported address that
  // lacks one can still be archived or relabelled.
  if (input.country_code !== undefined || input.postal_code !== undefined)
    assertPostalCode(next.country_code, next.postal_code);
  await updateRow(ctx.db, next);
  const entity = serializeAddress(next);
  await recordEvent(ctx, 'address.updated', entity);
  return entity;
}
