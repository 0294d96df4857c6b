// Turns request items into priced lines: the price and product snapshots Paddle embeds in a transaction,
// the quantity checked against the price's limits, and the unit price that applies in the buyer's country.
// An item names a catalog price (`price_id`) or brings its own non-catalog price (`price`), for an existing
// product (`price.product_id`) or with its own non-catalog product (`price.product`). Transactions create those
// as `type: custom` entities in the caller's database transaction; previews build them without writing.
import { oncePerBatch, type Ctx, type TxCtx } from '../../context.js';
import { invalidField, PaddleError, type FieldError } from '../../kernel/errors.js';
import { createCustomPrice, getPriceRow, previewCustomPrice } from '../prices/service.js';
import { serializePrice, type PriceEntity } from '../prices/serialize.js';
import { createCustomProduct, getProductRow, previewCustomProduct } from '../products/service.js';
import { serializeProduct, type ProductEntity } from '../products/serialize.js';
import type { Schema } from '../../spec/operations.js';

/** A non-catalog price on an item: for an existing product (`product_id`) or with its own (`product`). */
export type NonCatalogPriceInput =
  Schema<'transaction-price-create-with-product-id'> | Schema<'transaction-price-create-with-product'>;

/**
 * One request item (create-transaction's `items[]`, and the items of previews and subscription changes): a catalog
 * price (`price_id`) or a non-catalog `price`, with a `quantity`. Previews add `include_in_totals` (default true).
 */
export type TransactionItemInput = (
  | Pick<Schema<'transaction_item_create_with_price_id'>, 'price_id' | 'quantity'>
  | { price: NonCatalogPriceInput; quantity: number }
) & { include_in_totals?: boolean };

export interface Proration {
  rate: string;
  billing_period: { starts_at: string; ends_at: string };
}

/** One item as stored on the transaction (`items[]`), plus what pricing needs. */
export interface ResolvedItem {
  price_id: string;
  price: PriceEntity;
  product: ProductEntity;
  quantity: number;
  proration: Proration | null;
  /** The request gave this price inline (`price`, not `price_id`): errors about it name `items[i].price`. */
  inline?: boolean;
}

/** A price or product in a preview: a non-catalog one has no id, because nothing was created. */
export type PricePreview = Omit<PriceEntity, 'id' | 'product_id'> & { id: string | null; product_id: string | null };
export type ProductPreview = Omit<ProductEntity, 'id'> & { id: string | null };

/** One previewed item: nothing stored, so ids may be null. */
export interface PreviewItem {
  price_id: string | null;
  price: PricePreview;
  product: ProductPreview;
  quantity: number;
  proration: null;
  include_in_totals: boolean;
}

/** Whether the price's trial applies: recurring prices with a trial period. */
export function hasTrial(price: Pick<PriceEntity, 'trial_period' | 'billing_cycle'>): boolean {
  return price.trial_period !== null && price.billing_cycle !== null;
}

/**
 * Whether buying the price needs a payment method now: every price but one whose trial is cardless
 * (`trial_period.requires_payment_method: false`, Paddle's cardless trials).
 */
export function requiresPaymentMethod(price: Pick<PriceEntity, 'trial_period' | 'billing_cycle'>): boolean {
  return !hasTrial(price) || price.trial_period!.requires_payment_method;
}

/** Runs `make`, reporting its field errors under `prefix` (e.g. `items[0].price`) into `errors`. */
async function collectingFieldErrors<T>(
  prefix: string,
  errors: FieldError[],
  make: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof PaddleError && error.code === 'invalid_field' && error.errors) {
      errors.push(...error.errors.map((e) => ({ field: `${prefix}.${e.field}`, message: e.message })));
      return undefined;
    }
    throw error;
  }
}

function checkQuantity(
  price: Pick<PriceEntity, 'quantity'> & { id: string | null },
  quantity: number,
  index: number,
  errors: FieldError[],
): boolean {
  if (quantity >= price.quantity.minimum && quantity <= price.quantity.maximum) return true;
  const which = price.id ? `price ${price.id}` : 'this price';
  errors.push({
    field: `items[${index}].quantity`,
    message: `must be between ${price.quantity.minimum} and ${price.quantity.maximum} for ${which}`,
  });
  return false;
}

/** A catalog price by id, if it is active; else an error for the item. */
async function catalogPrice(ctx: Ctx, priceId: string, index: number, errors: FieldError[]) {
  const price = serializePrice(await catalogRow(ctx, 'price', priceId, getPriceRow));
  if (price.status !== 'active') {
    errors.push({ field: `items[${index}].price_id`, message: `price ${price.id} is archived` });
    return undefined;
  }
  return price;
}

/**
 * A catalog row by id, read once per batch transaction (context.ts `oncePerBatch`): a seed makes a thousand
 * transactions of the few prices it made first, and no unit of a batch (renewals, a seed) changes the catalog.
 */
function catalogRow<T>(ctx: Ctx, kind: string, id: string, read: (ctx: Ctx, id: string) => Promise<T>): Promise<T> {
  return oncePerBatch(ctx, `catalog-${kind}:${id}`, () => read(ctx, id));
}

/** The catalog price an item names, or undefined for a non-catalog `price` (the spec's oneOf allows one). */
function catalogId(item: TransactionItemInput): string | undefined {
  return 'price_id' in item ? item.price_id : undefined;
}

/**
 * Resolves a transaction's items. Non-catalog prices and products are created (type custom, with their
 * `product.created` / `price.created` events) through `db`, which must be the caller's database transaction so
 * that they are rolled back with it when anything fails.
 */
export async function resolveItems(ctx: TxCtx, items: TransactionItemInput[]): Promise<ResolvedItem[]> {
  const errors: FieldError[] = [];
  const resolved: ResolvedItem[] = [];
  for (const [index, item] of items.entries()) {
    const priceId = catalogId(item);
    let price: PriceEntity | undefined;
    let product: ProductEntity | undefined;
    if ('price_id' in item) {
      price = await catalogPrice(ctx, item.price_id, index, errors);
    } else {
      const given = item.price;
      const prefix = `items[${index}].price`;
      if ('product' in given) {
        const input = given.product;
        product = await collectingFieldErrors(`${prefix}.product`, errors, () => createCustomProduct(ctx, input));
        if (!product) continue;
      }
      const productId = product?.id ?? ('product_id' in given ? given.product_id : '');
      price = await collectingFieldErrors(prefix, errors, () =>
        createCustomPrice(ctx, { ...given, product_id: productId }),
      );
    }
    if (!price || !checkQuantity(price, item.quantity, index, errors)) continue;
    product ??= serializeProduct(await catalogRow(ctx, 'product', price.product_id, getProductRow));
    resolved.push({
      price_id: price.id,
      price,
      product,
      quantity: item.quantity,
      proration: null,
      ...(priceId === undefined ? { inline: true } : {}),
    });
  }
  if (errors.length > 0) throw invalidField(errors);
  return resolved;
}

/** Resolves a preview's items: catalog prices are read, non-catalog ones are built (no id) and nothing is written. */
export async function previewItems(ctx: Ctx, items: TransactionItemInput[]): Promise<PreviewItem[]> {
  const errors: FieldError[] = [];
  const resolved: PreviewItem[] = [];
  for (const [index, item] of items.entries()) {
    let price: PricePreview | undefined;
    let product: ProductPreview | undefined;
    if ('price_id' in item) {
      price = await catalogPrice(ctx, item.price_id, index, errors);
    } else {
      const given = item.price;
      const prefix = `items[${index}].price`;
      if ('product' in given) product = previewCustomProduct(ctx, given.product);
      const productId = 'product_id' in given ? given.product_id : null;
      price = await collectingFieldErrors(prefix, errors, () =>
        previewCustomPrice(ctx, { ...given, product_id: productId }),
      );
    }
    if (!price || !checkQuantity(price, item.quantity, index, errors)) continue;
    product ??= serializeProduct(await getProductRow(ctx, price.product_id as string));
    resolved.push({
      price_id: price.id,
      price,
      product,
      quantity: item.quantity,
      proration: null,
      include_in_totals: item.include_in_totals ?? true,
    });
  }
  if (errors.length > 0) throw invalidField(errors);
  return resolved;
}

/** The price's unit price in the buyer's country: a matching override, else the base price. */
export function unitPriceFor(
  price: Pick<PriceEntity, 'unit_price' | 'unit_price_overrides'>,
  countryCode: string | null,
): { amount: string; currency_code: string } {
  if (countryCode) {
    const override = price.unit_price_overrides.find((o) => o.country_codes.includes(countryCode));
    if (override) return override.unit_price;
  }
  return price.unit_price;
}

/** The stored form of `items[]` (what the API returns): no product, which lives in details.line_items. */
export function storedItems(items: ResolvedItem[]) {
  return items.map((item) => ({
    price_id: item.price_id,
    price: item.price,
    quantity: item.quantity,
    proration: item.proration,
  }));
}
