// Prices: how a product is charged. Money is integer minor units: amounts arrive as decimal strings and
// are stored in the bigint `unit_price_amount` column (override amounts stay strings inside their JSON).
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import type { Page, PageRequest } from '../../db/pagination.js';
import type { PriceRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { PaddleError, entityArchived, invalidField, notFound, type FieldError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import { assertModifiable, getProductRow, productsByIds } from '../products/service.js';
import {
  findPrice,
  findPricesOfProducts,
  insertPrice,
  listPrices as listRows,
  updatePrice as updateRow,
  type PriceFilters,
} from './repository.js';
import {
  priceColumns,
  serializePrice,
  type Duration,
  type PriceEntity,
  type TrialPeriod,
  type UnitPriceOverride,
} from './serialize.js';
import type { OperationBody, Schema } from '../../spec/operations.js';

/** The body of Paddle's update-price: every field optional; `null` clears a nullable field. */
export type PriceInput = OperationBody<'update-price'>;

/** The body of Paddle's create-price: `description`, `product_id` and `unit_price` required. */
export type PriceCreateInput = OperationBody<'create-price'>;

/** The largest amount the bigint column holds. */
const MAX_AMOUNT = 9_223_372_036_854_775_807n;

/** A whole number of minor units, as a string of digits; leading zeros are dropped. */
function parseAmount(value: string, field: string, errors: FieldError[]): bigint {
  if (!/^\d+$/.test(value)) {
    errors.push({ field, message: 'must be a whole number of minor units written as a string of digits, e.g. "1000"' });
    return 0n;
  }
  const amount = BigInt(value);
  if (amount > MAX_AMOUNT) errors.push({ field, message: `must be at most ${MAX_AMOUNT}` });
  return amount;
}

function duration(value: Duration): Duration {
  return { interval: value.interval, frequency: value.frequency };
}

function trialPeriod(value: TrialPeriod, errors: FieldError[]): TrialPeriod {
  const trial: TrialPeriod = duration(value);
  const requires = (value as { requires_payment_method?: unknown }).requires_payment_method;
  if (typeof requires === 'boolean') trial.requires_payment_method = requires;
  else if (requires !== undefined)
    errors.push({ field: 'trial_period.requires_payment_method', message: 'must be a boolean' });
  return trial;
}

/** Canonical overrides, and the first country that appears in more than one of them. */
function overrides(list: UnitPriceOverride[], errors: FieldError[]): { list: UnitPriceOverride[]; duplicate?: string } {
  const seen = new Set<string>();
  let duplicate: string | undefined;
  const normalized = list.map((override, index) => {
    const amount = parseAmount(override.unit_price.amount, `unit_price_overrides[${index}].unit_price.amount`, errors);
    for (const country of override.country_codes) {
      if (seen.has(country)) duplicate ??= country;
      seen.add(country);
    }
    return {
      country_codes: [...override.country_codes],
      unit_price: { amount: amount.toString(), currency_code: override.unit_price.currency_code },
    };
  });
  return duplicate === undefined ? { list: normalized } : { list: normalized, duplicate };
}

/** The columns a create or update sets, from the request fields that are present (validated first). */
function changedColumns(input: PriceInput): Partial<PriceRow> {
  const errors: FieldError[] = [];
  const changes: Partial<PriceRow> = {};
  if (input.description !== undefined) changes.description = input.description;
  if (input.type !== undefined) changes.type = input.type;
  if (input.name !== undefined) changes.name = input.name;
  if (input.billing_cycle !== undefined)
    changes.billing_cycle = priceColumns.billing_cycle.encode(input.billing_cycle && duration(input.billing_cycle));
  if (input.trial_period !== undefined)
    changes.trial_period = priceColumns.trial_period.encode(
      input.trial_period && trialPeriod(input.trial_period, errors),
    );
  if (input.tax_mode !== undefined) changes.tax_mode = input.tax_mode;
  if (input.unit_price !== undefined) {
    changes.unit_price_amount = parseAmount(input.unit_price.amount, 'unit_price.amount', errors);
    changes.unit_price_currency = input.unit_price.currency_code;
  }
  if (input.quantity !== undefined) {
    if (input.quantity.minimum > input.quantity.maximum) {
      errors.push({ field: 'quantity.minimum', message: 'must be less than or equal to quantity.maximum' });
    }
    changes.quantity_minimum = BigInt(input.quantity.minimum);
    changes.quantity_maximum = BigInt(input.quantity.maximum);
  }
  if (input.custom_data !== undefined) changes.custom_data = priceColumns.custom_data.encode(input.custom_data);
  if (input.status !== undefined) changes.status = input.status;
  const overrideList =
    input.unit_price_overrides !== undefined ? overrides(input.unit_price_overrides, errors) : undefined;
  if (errors.length > 0) throw invalidField(errors);
  if (overrideList?.duplicate) {
    throw new PaddleError(
      'price_duplicate_currency_override_for_country',
      `Country ${overrideList.duplicate} appears in more than one unit price override.`,
    );
  }
  if (overrideList) changes.unit_price_overrides = priceColumns.unit_price_overrides.encode(overrideList.list);
  return changes;
}

/** Rules on the price as it would be after the change. */
function assertConsistent(row: PriceRow): void {
  if (row.trial_period !== null && row.billing_cycle === null) {
    throw new PaddleError('price_trial_period_requires_billing_cycle');
  }
}

/** A price of the tenant, or undefined (for a discount's `restrict_to`, which has its own refusal). */
export async function findPriceRow(ctx: Ctx, id: string): Promise<PriceRow | undefined> {
  return findPrice(ctx.db, ctx.tenant, id);
}

/** Loads a price of the tenant or throws Paddle's 404. */
export async function getPriceRow(ctx: Ctx, id: string): Promise<PriceRow> {
  const row = await findPrice(ctx.db, ctx.tenant, id);
  if (!row) throw notFound(id);
  return row;
}

/** Every price of each product (any status, oldest first), for `include=prices` on products. */
async function pricesOfProducts(ctx: Ctx, productIds: readonly string[]): Promise<Map<string, PriceEntity[]>> {
  const byProduct = new Map<string, PriceEntity[]>();
  for (const row of await findPricesOfProducts(ctx.db, ctx.tenant, [...new Set(productIds)])) {
    const list = byProduct.get(row.product_id) ?? [];
    list.push(serializePrice(row));
    byProduct.set(row.product_id, list);
  }
  return byProduct;
}

/**
 * Products with their prices attached, for `include=prices` on products: every price of each product (any status,
 * oldest first), an empty list for a product without prices. @NOTE here and not in products/service, which prices
 * already depends on (a price names its product): the products route composes the two.
 */
export async function withPrices<P extends { id: string }>(
  ctx: Ctx,
  products: readonly P[],
): Promise<Array<P & { prices: PriceEntity[] }>> {
  const prices = await pricesOfProducts(
    ctx,
    products.map((product) => product.id),
  );
  return products.map((product) => ({ ...product, prices: prices.get(product.id) ?? [] }));
}

async function withIncludes(ctx: Ctx, rows: PriceRow[], include: Set<string>) {
  const entities = rows.map(serializePrice);
  if (!include.has('product')) return entities;
  const products = await productsByIds(
    ctx,
    rows.map((row) => row.product_id),
  );
  return entities.map((entity) => ({ ...entity, product: products.get(entity.product_id) }));
}

export async function getPrice(ctx: Ctx, id: string, include: Set<string>) {
  const [entity] = await withIncludes(ctx, [await getPriceRow(ctx, id)], include);
  return entity;
}

export async function listPrices(ctx: Ctx, filters: PriceFilters, page: PageRequest, include: Set<string>) {
  const result: Page<PriceRow> = await listRows(ctx.db, ctx.tenant, filters, page);
  return { page: result, data: await withIncludes(ctx, result.rows, include) };
}

/** A new active price row from validated columns (`changedColumns`), checked for consistency. */
function newPriceRow(
  ctx: Ctx,
  input: Pick<PriceCreateInput, 'description' | 'unit_price'>,
  changes: Partial<PriceRow>,
  productId: string,
): PriceRow {
  const now = ctx.clock.now();
  const stored = toStoredTime(now);
  const row: PriceRow = {
    ...ctx.tenant,
    id: newId('price', now.epochMilliseconds),
    product_id: productId,
    description: input.description,
    type: 'standard',
    name: null,
    billing_cycle: null,
    trial_period: null,
    tax_mode: 'account_setting',
    unit_price_amount: 0n,
    unit_price_currency: input.unit_price.currency_code,
    unit_price_overrides: priceColumns.unit_price_overrides.encode([]),
    quantity_minimum: 1n,
    quantity_maximum: 100n,
    // @NOTE derived from billing_cycle by the repository on every write
    billing_cycle_interval: null,
    billing_cycle_frequency: null,
    custom_data: null,
    import_meta: null,
    ...changes,
    status: 'active',
    created_at: stored,
    updated_at: stored,
  };
  assertConsistent(row);
  return row;
}

async function insertCreated(ctx: TxCtx, row: PriceRow): Promise<PriceEntity> {
  await insertPrice(ctx.db, row);
  const entity = serializePrice(row);
  await recordEvent(ctx, 'price.created', entity);
  return entity;
}

/** The product a new price may belong to: the tenant's, and not archived. */
async function productForNewPrice(ctx: Ctx, productId: string) {
  const product = await getProductRow(ctx, productId);
  if (product.status === 'archived') throw entityArchived('Product', product.id);
  return product;
}

export async function createPrice(ctx: Ctx, input: PriceCreateInput) {
  const changes = changedColumns(input);
  return withTransaction(ctx, async (ctx) => {
    const product = await productForNewPrice(ctx, input.product_id);
    return insertCreated(ctx, newPriceRow(ctx, input, changes, product.id));
  });
}

/**
 * A non-catalog price given inline on a transaction item (Paddle's `transaction-price-create-base` plus its
 * product): validated as create-price validates, always `type: custom`.
 */
export type CustomPriceInput = Schema<'transaction-price-create-with-product-id'>;

function customColumns(input: Omit<CustomPriceInput, 'product_id'>): Partial<PriceRow> {
  // @NOTE only the fields of `transaction-price-create-base`: the spec leaves the nested object open, so a
  // `type` or `status` sent along must not reach the row.
  const { description, name, billing_cycle, trial_period, tax_mode, unit_price, unit_price_overrides } = input;
  const { quantity, custom_data } = input;
  const fields = { description, name, billing_cycle, trial_period, tax_mode, unit_price, unit_price_overrides };
  return { ...changedColumns({ ...fields, quantity, custom_data }), type: 'custom' };
}

/**
 * Creates a non-catalog price (`type: custom`, left out of lists unless asked for) inside the caller's database
 * transaction, with its `price.created` event. The product must exist and be active.
 */
export async function createCustomPrice(ctx: TxCtx, input: CustomPriceInput): Promise<PriceEntity> {
  const changes = customColumns(input);
  const product = await productForNewPrice(ctx, input.product_id);
  return insertCreated(ctx, newPriceRow(ctx, input, changes, product.id));
}

/**
 * The price `createCustomPrice` would create, without an id and without writing anything (previews). A
 * `product_id` must name an active product of the tenant; null stands for a product given inline.
 */
export async function previewCustomPrice(
  ctx: Ctx,
  input: Omit<CustomPriceInput, 'product_id'> & { product_id: string | null },
): Promise<Omit<PriceEntity, 'id' | 'product_id'> & { id: null; product_id: string | null }> {
  const changes = customColumns(input);
  const productId = input.product_id === null ? null : (await productForNewPrice(ctx, input.product_id)).id;
  const entity = serializePrice(newPriceRow(ctx, input, changes, productId ?? ''));
  return { ...entity, id: null, product_id: productId };
}

export async function updatePrice(ctx: Ctx, id: string, input: PriceInput) {
  const changes = changedColumns(input);
  return withTransaction(ctx, async (ctx) => {
    const current = await getPriceRow(ctx, id);
    assertModifiable('Price', current, input.status);
    const next: PriceRow = { ...current, ...changes, updated_at: toStoredTime(ctx.clock.now()) };
    assertConsistent(next);
    await updateRow(ctx.db, next);
    const entity = serializePrice(next);
    await recordEvent(ctx, 'price.updated', entity);
    return entity;
  });
}
