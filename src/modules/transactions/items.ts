// Turns request items into priced lines: the price and product snapshots Paddle embeds in a transaction,
// the quantity checked against the price's limits, and the unit price that applies in the buyer's country.
import type { Ctx } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { invalidField, type FieldError } from '../../kernel/errors.js';
import { getPriceRow } from '../prices/service.js';
import { serializePrice, type PriceEntity } from '../prices/serialize.js';
import { getProductRow } from '../products/service.js';
import { serializeProduct, type ProductEntity } from '../products/serialize.js';

export interface TransactionItemInput {
  price_id?: string;
  quantity: number;
}

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
}

export function entityArchivedError(kind: string, id: string) {
  return { code: 'entity_archived', detail: `${kind} ${id} is archived and cannot be modified.` };
}

export async function resolveItems(db: Executor, ctx: Ctx, items: TransactionItemInput[]): Promise<ResolvedItem[]> {
  const errors: FieldError[] = [];
  const resolved: ResolvedItem[] = [];
  for (const [index, item] of items.entries()) {
    if (!item.price_id) {
      errors.push({ field: `items[${index}].price`, message: 'non-catalog prices are not supported yet: create the price first and pass price_id' });
      continue;
    }
    const priceRow = await getPriceRow(db, ctx, item.price_id);
    const price = serializePrice(priceRow);
    if (price.status !== 'active') {
      errors.push({ field: `items[${index}].price_id`, message: `price ${price.id} is archived` });
      continue;
    }
    if (item.quantity < price.quantity.minimum || item.quantity > price.quantity.maximum) {
      errors.push({
        field: `items[${index}].quantity`,
        message: `must be between ${price.quantity.minimum} and ${price.quantity.maximum} for price ${price.id}`,
      });
      continue;
    }
    const product = serializeProduct(await getProductRow(db, ctx, price.product_id));
    resolved.push({ price_id: price.id, price, product, quantity: item.quantity, proration: null });
  }
  if (errors.length > 0) throw invalidField(errors);
  return resolved;
}

/** The price's unit price in the buyer's country: a matching override, else the base price. */
export function unitPriceFor(price: PriceEntity, countryCode: string | null): { amount: string; currency_code: string } {
  if (countryCode) {
    const override = price.unit_price_overrides.find((o) => o.country_codes.includes(countryCode));
    if (override) return override.unit_price;
  }
  return price.unit_price;
}

/** The stored form of `items[]` (what the API returns): no product, which lives in details.line_items. */
export function storedItems(items: ResolvedItem[]) {
  return items.map((item) => ({ price_id: item.price_id, price: item.price, quantity: item.quantity, proration: item.proration }));
}
