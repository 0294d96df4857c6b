// Prices: how a product is charged. Money is integer minor units: amounts arrive as decimal strings and
// are stored in the bigint `unit_price_amount` column (override amounts stay strings inside their JSON).
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import type { Page, PageRequest } from '../../db/pagination.js';
import type { PriceRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { PaddleError, entityArchived, invalidField, notFound, type FieldError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import { isSupportedCurrency } from '../../billing/currencies.js';
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
  trialWithDefaults,
  type Duration,
  type Money,
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

/**
 * A trial as the request gives it. Paddle's trial fields newer than the May-2025 spec (`requires_payment_method`,
 * `unit_price`, `unit_price_overrides`) are not in its request schema, so they arrive unchecked and are checked here.
 */
type TrialInput = Duration & {
  requires_payment_method?: unknown;
  unit_price?: unknown;
  unit_price_overrides?: unknown;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Money the request gives outside the spec's schema: `{ amount: "<digits>", currency_code: <supported> }`. */
function uncheckedMoney(value: unknown, field: string, errors: FieldError[]): Money | undefined {
  if (!isObject(value) || typeof value.amount !== 'string' || typeof value.currency_code !== 'string') {
    errors.push({ field, message: 'must be an object with amount (a string of digits) and currency_code' });
    return undefined;
  }
  if (!isSupportedCurrency(value.currency_code)) {
    errors.push({ field: `${field}.currency_code`, message: `${value.currency_code} is not a supported currency` });
    return undefined;
  }
  return {
    amount: parseAmount(value.amount, `${field}.amount`, errors).toString(),
    currency_code: value.currency_code,
  };
}

/** Overrides the request gives outside the spec's schema, checked for shape (then as every override list). */
function uncheckedOverrides(value: unknown, field: string, errors: FieldError[]): UnitPriceOverride[] {
  if (!Array.isArray(value)) {
    errors.push({ field, message: 'must be a list of unit price overrides' });
    return [];
  }
  return value.flatMap((entry: unknown, index) => {
    const at = `${field}[${index}]`;
    const countries = isObject(entry) ? entry.country_codes : undefined;
    if (!Array.isArray(countries) || countries.length === 0 || !countries.every((c) => typeof c === 'string')) {
      errors.push({ field: `${at}.country_codes`, message: 'must be a non-empty list of country codes' });
      return [];
    }
    const unitPrice = uncheckedMoney(isObject(entry) ? entry.unit_price : undefined, `${at}.unit_price`, errors);
    return unitPrice ? [{ country_codes: countries as string[], unit_price: unitPrice }] : [];
  });
}

function trialPeriod(value: TrialInput, errors: FieldError[]): TrialPeriod {
  const requires = value.requires_payment_method;
  if (requires !== undefined && typeof requires !== 'boolean')
    errors.push({ field: 'trial_period.requires_payment_method', message: 'must be a boolean' });
  const unitPrice =
    value.unit_price === undefined || value.unit_price === null
      ? null
      : (uncheckedMoney(value.unit_price, 'trial_period.unit_price', errors) ?? null);
  const localized =
    value.unit_price_overrides === undefined
      ? []
      : uncheckedOverrides(value.unit_price_overrides, 'trial_period.unit_price_overrides', errors);
  return trialWithDefaults({
    ...duration(value),
    ...(typeof requires === 'boolean' ? { requires_payment_method: requires } : {}),
    unit_price: unitPrice,
    unit_price_overrides: overrides(localized, errors, 'trial_period.unit_price_overrides'),
  });
}

/** Canonical overrides: amounts without leading zeros, each checked (field errors under `field`). */
function overrides(
  list: UnitPriceOverride[],
  errors: FieldError[],
  field = 'unit_price_overrides',
): UnitPriceOverride[] {
  return list.map((override, index) => {
    const amount = parseAmount(override.unit_price.amount, `${field}[${index}].unit_price.amount`, errors);
    return {
      country_codes: [...override.country_codes],
      unit_price: { amount: amount.toString(), currency_code: override.unit_price.currency_code },
    };
  });
}

/** The first country that appears in more than one of the overrides, if any. */
function duplicateCountry(list: readonly UnitPriceOverride[]): string | undefined {
  const seen = new Set<string>();
  for (const country of list.flatMap((override) => override.country_codes)) {
    if (seen.has(country)) return country;
    seen.add(country);
  }
  return undefined;
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
  if (input.unit_price_overrides !== undefined)
    changes.unit_price_overrides = priceColumns.unit_price_overrides.encode(
      overrides(input.unit_price_overrides, errors),
    );
  if (errors.length > 0) throw invalidField(errors);
  return changes;
}

function assertOneOverridePerCountry(list: readonly UnitPriceOverride[]): void {
  const country = duplicateCountry(list);
  if (country === undefined) return;
  throw new PaddleError(
    'price_duplicate_currency_override_for_country',
    `Country ${country} appears in more than one unit price override.`,
  );
}

/**
 * Rules on the price as it would be after the change. A trial's own price is in the price's currency (its
 * overrides localize it, as the price's do); a paid trial must require a payment method (Paddle's
 * `trial_is_either_paid_or_cardless`).
 */
function assertConsistent(row: PriceRow): void {
  const price = serializePrice(row);
  assertOneOverridePerCountry(price.unit_price_overrides);
  const trial = price.trial_period;
  if (trial === null) return;
  if (price.billing_cycle === null) throw new PaddleError('price_trial_period_requires_billing_cycle');
  assertOneOverridePerCountry(trial.unit_price_overrides);
  if (trial.unit_price && trial.unit_price.currency_code !== price.unit_price.currency_code) {
    throw invalidField([
      {
        field: 'trial_period.unit_price.currency_code',
        message: `must be the price's currency (${price.unit_price.currency_code}); localize the trial with trial_period.unit_price_overrides`,
      },
    ]);
  }
  if (trial.unit_price && !trial.requires_payment_method) throw new PaddleError('trial_is_either_paid_or_cardless');
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
    id: newId('price'),
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
