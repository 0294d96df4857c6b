// The items of a subscription update or a one-time charge, checked the way Paddle refuses them, with fresh price and
// product snapshots. Non-catalog prices are created as custom prices (and products) through `ctx.db`, the caller's
// database transaction, so a refused or previewed request leaves nothing behind.
import type { Ctx, TxCtx } from '../../../context.js';
import type { SubscriptionRow } from '../../../db/tables.js';
import { DomainError } from '../../../billing/errors.js';
import { assertItemsAllowed } from '../../../billing/subscription-lifecycle.js';
import { invalidField, PaddleError, type FieldError } from '../../../kernel/errors.js';
import { getPriceRow } from '../../prices/service.js';
import { serializePrice, type PriceEntity } from '../../prices/serialize.js';
import { getProductRow } from '../../products/service.js';
import { serializeProduct } from '../../products/serialize.js';
import {
  requiresPaymentMethod,
  resolveItems,
  type NonCatalogPriceInput,
  type ResolvedItem,
} from '../../transactions/items.js';
import { stateOf, storedItems } from '../state.js';

export interface ItemInput {
  price_id?: string;
  quantity?: number;
  price?: NonCatalogPriceInput;
}

/** A resolved item and whether the subscription already had its price. */
export interface UpdateItem {
  item: ResolvedItem;
  existing: boolean;
}

function quantityNotValid(price: Pick<PriceEntity, 'id' | 'quantity'>): DomainError {
  return new DomainError(
    'subscription_quantity_not_valid',
    `quantity for ${price.id} must be between ${price.quantity.minimum} and ${price.quantity.maximum}`,
  );
}

function checkQuantity(price: Pick<PriceEntity, 'id' | 'quantity'>, quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < price.quantity.minimum || quantity > price.quantity.maximum)
    throw quantityNotValid(price);
}

/** A non-catalog price (and product), created in `ctx.db`; field errors name the item's own index. */
async function nonCatalog(ctx: TxCtx, input: ItemInput, index: number): Promise<ResolvedItem> {
  try {
    const [resolved] = await resolveItems(ctx, [
      { price: input.price as NonCatalogPriceInput, quantity: input.quantity as number },
    ]);
    return strip(resolved as ResolvedItem);
  } catch (error) {
    if (error instanceof PaddleError && error.errors) {
      throw invalidField(
        error.errors.map((e: FieldError) => ({
          field: e.field.replace(/^items\[0\]/, `items[${index}]`),
          message: e.message,
        })),
      );
    }
    throw error;
  }
}

/** Only the fields a stored line keeps. */
export function strip(item: ResolvedItem): ResolvedItem {
  return {
    price_id: item.price_id,
    price: item.price,
    product: item.product,
    quantity: item.quantity,
    proration: item.proration,
  };
}

async function catalogItem(ctx: Ctx, priceId: string) {
  const price = serializePrice(await getPriceRow(ctx, priceId));
  const product = serializeProduct(await getProductRow(ctx, price.product_id));
  return { price, product };
}

const archived = (index: number, id: string): FieldError => ({
  field: `items[${index}].price_id`,
  message: `price ${id} is archived`,
});

/**
 * `items` of `PATCH /subscriptions/{id}`: the complete new list. Items already on the subscription may omit
 * `quantity` (it stays) and keep archived prices; new ones need a quantity and an active, recurring price.
 */
export async function resolveUpdateItems(ctx: TxCtx, row: SubscriptionRow, items: ItemInput[]): Promise<UpdateItem[]> {
  const current = new Map(storedItems(row).map((stored) => [stored.price.id, stored]));
  const resolved: UpdateItem[] = [];
  const seen = new Set<string>();
  for (const [index, input] of items.entries()) {
    if (input.price_id !== undefined) {
      if (seen.has(input.price_id)) {
        throw new DomainError(
          'subscription_duplicate_price_ids',
          `Duplicate price_id ${input.price_id} in the items list.`,
        );
      }
      seen.add(input.price_id);
    }
    const before = input.price_id !== undefined ? current.get(input.price_id) : undefined;
    if (input.price_id !== undefined && before === undefined && input.quantity === undefined) {
      throw new DomainError('subscription_quantity_missing_for_new_items');
    }
    let item: ResolvedItem;
    if (input.price_id !== undefined) {
      const { price, product } = await catalogItem(ctx, input.price_id);
      if (!before && price.status !== 'active') throw invalidField([archived(index, price.id)]);
      item = {
        price_id: price.id,
        price,
        product,
        quantity: input.quantity ?? (before?.quantity as number),
        proration: null,
      };
    } else {
      item = await nonCatalog(ctx, input, index);
    }
    if (item.price.billing_cycle === null) {
      throw new DomainError(
        'subscription_new_items_not_valid',
        'the new items are not valid for updating this subscription',
        [
          {
            field: `items[${index}]`,
            message: `price ${item.price_id} is a one-time price: only recurring prices can be on a subscription (bill one-time prices with POST /subscriptions/{id}/charge)`,
          },
        ],
      );
    }
    checkQuantity(item.price, item.quantity);
    resolved.push({ item, existing: before !== undefined });
  }
  const added = resolved.filter((update) => !update.existing);
  assertItemsAllowed(
    stateOf(row),
    added.map((update) => ({ requires_payment_method: requiresPaymentMethod(update.item.price) })),
  );
  return resolved;
}

/** `items` of a one-time charge: active one-time prices (no billing cycle), each price once, quantity within its limits. */
export async function resolveChargeItems(ctx: TxCtx, items: ItemInput[]): Promise<ResolvedItem[]> {
  const seen = new Set<string>();
  for (const input of items) {
    if (input.price_id === undefined) continue;
    if (seen.has(input.price_id)) {
      throw new DomainError(
        'subscription_charge_duplicate_price_ids',
        'duplicate `price_id`s are not valid when creating a one-time charge for a subscription',
      );
    }
    seen.add(input.price_id);
  }
  const resolved: ResolvedItem[] = [];
  for (const [index, input] of items.entries()) {
    let item: ResolvedItem;
    if (input.price_id !== undefined) {
      const { price, product } = await catalogItem(ctx, input.price_id);
      if (price.status !== 'active') throw invalidField([archived(index, price.id)]);
      item = { price_id: price.id, price, product, quantity: input.quantity as number, proration: null };
    } else {
      item = await nonCatalog(ctx, input, index);
    }
    if (item.price.billing_cycle !== null) {
      const field = input.price_id !== undefined ? `items[${index}].price_id` : `items[${index}].price.billing_cycle`;
      throw invalidField([
        {
          field,
          message: `price ${item.price_id} is recurring: only one-time prices (billing_cycle null) can be charged`,
        },
      ]);
    }
    checkQuantity(item.price, item.quantity);
    resolved.push(item);
  }
  return resolved;
}
