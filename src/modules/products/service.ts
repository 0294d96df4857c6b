// Products: the catalog's top level. Archiving is a status change; an archived product accepts no change
// except being made active again (Paddle's `entity_archived`), and gets no new prices.
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import { customDataColumn } from '../../db/json.js';
import type { Page, PageRequest } from '../../db/pagination.js';
import type { ProductRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { entityArchived, notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import {
  findProduct,
  findProducts,
  insertProduct,
  listProducts as listRows,
  updateProduct as updateRow,
  type ProductFilters,
} from './repository.js';
import { serializeProduct, type ProductEntity } from './serialize.js';
import type { OperationBody, Schema } from '../../spec/operations.js';

/** The body of Paddle's update-product: every field optional; `null` clears a nullable field. */
export type ProductInput = OperationBody<'update-product'>;

/** The body of Paddle's create-product: `name` and `tax_category` required. */
export type ProductCreateInput = OperationBody<'create-product'>;

/**
 * An archived entity may only be made active again (possibly with other changes in the same request);
 * any other change, including archiving it again, is refused.
 */
export function assertModifiable(
  kind: 'Product' | 'Price',
  current: { id: string; status: string },
  nextStatus: string | undefined,
): void {
  if (current.status === 'archived' && nextStatus !== 'active') throw entityArchived(kind, current.id);
}

/** Loads a product of the tenant or throws Paddle's 404. */
export async function getProductRow(ctx: Ctx, id: string): Promise<ProductRow> {
  const row = await findProduct(ctx.db, ctx.tenant, id);
  if (!row) throw notFound(id);
  return row;
}

/** Products of the tenant by id, serialized (for `include=product` on prices). Unknown ids are absent. */
export async function productsByIds(ctx: Ctx, ids: readonly string[]): Promise<Map<string, ProductEntity>> {
  const rows = await findProducts(ctx.db, ctx.tenant, [...new Set(ids)]);
  return new Map(rows.map((row) => [row.id, serializeProduct(row)]));
}

/** One product, serialized. `include=prices` is added by the route (prices/service `withPrices`). */
export async function getProduct(ctx: Ctx, id: string): Promise<ProductEntity> {
  return serializeProduct(await getProductRow(ctx, id));
}

export async function listProducts(ctx: Ctx, filters: ProductFilters, page: PageRequest) {
  const result: Page<ProductRow> = await listRows(ctx.db, ctx.tenant, filters, page);
  return { page: result, data: result.rows.map(serializeProduct) };
}

/** A new active product row from create input (the spec has validated the fields). */
function newProductRow(ctx: Ctx, input: ProductInput & { name: string; tax_category: string }): ProductRow {
  const now = ctx.clock.now();
  const stored = toStoredTime(now);
  return {
    ...ctx.tenant,
    id: newId('product'),
    name: input.name,
    description: input.description ?? null,
    type: input.type ?? 'standard',
    tax_category: input.tax_category,
    image_url: input.image_url ?? null,
    custom_data: customDataColumn.encode(input.custom_data),
    status: 'active',
    import_meta: null,
    created_at: stored,
    updated_at: stored,
  };
}

async function insertCreated(ctx: TxCtx, row: ProductRow): Promise<ProductEntity> {
  await insertProduct(ctx.db, row);
  const entity = serializeProduct(row);
  await recordEvent(ctx, 'product.created', entity);
  return entity;
}

export async function createProduct(ctx: Ctx, input: ProductCreateInput) {
  return withTransaction(ctx, (ctx) => insertCreated(ctx, newProductRow(ctx, input)));
}

/** A non-catalog product given inline on a transaction item (Paddle's `transaction-subscription-product-create`). */
export type CustomProductInput = Schema<'transaction-subscription-product-create'>;

function customInput(input: CustomProductInput): ProductCreateInput {
  return {
    name: input.name,
    tax_category: input.tax_category,
    description: input.description ?? null,
    image_url: input.image_url ?? null,
    custom_data: input.custom_data ?? null,
    type: 'custom',
  };
}

/**
 * Creates a non-catalog product (`type: custom`, left out of lists unless asked for) inside the caller's
 * database transaction, with its `product.created` event: a transaction item that brings its own product.
 */
export async function createCustomProduct(ctx: TxCtx, input: CustomProductInput): Promise<ProductEntity> {
  return insertCreated(ctx, newProductRow(ctx, customInput(input)));
}

/** The product `createCustomProduct` would create, without an id and without writing anything (previews). */
export function previewCustomProduct(ctx: Ctx, input: CustomProductInput): Omit<ProductEntity, 'id'> & { id: null } {
  return { ...serializeProduct(newProductRow(ctx, customInput(input))), id: null };
}

export async function updateProduct(ctx: Ctx, id: string, input: ProductInput) {
  return withTransaction(ctx, async (ctx) => {
    const current = await getProductRow(ctx, id);
    assertModifiable('Product', current, input.status);
    const next: ProductRow = {
      ...current,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.type !== undefined ? { type: input.type } : {}),
      ...(input.tax_category !== undefined ? { tax_category: input.tax_category } : {}),
      ...(input.image_url !== undefined ? { image_url: input.image_url } : {}),
      ...(input.custom_data !== undefined ? { custom_data: customDataColumn.encode(input.custom_data) } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updated_at: toStoredTime(ctx.clock.now()),
    };
    await updateRow(ctx.db, next);
    const entity = serializeProduct(next);
    await recordEvent(ctx, 'product.updated', entity);
    return entity;
  });
}
