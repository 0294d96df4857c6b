// Discount groups (`dsg_`, newer than the reference spec: openapi/newer.json, docs/newer-api.md): named folders
// for discounts. A name is unique per seller and environment; archiving is a status change, and an archived group
// accepts no change except being made active again (Paddock's rule for every archivable entity). Discounts name
// their group through ./service's `assignableDiscountGroup` and include it through `discountGroupsByIds`.
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import type { PageRequest } from '../../db/pagination.js';
import type { DiscountGroupRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { entityArchived, notFound, PaddleError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { toStoredTime } from '../../kernel/time.js';
import type { OperationBody, OperationQuery } from '../../spec/operations.js';
import {
  findDiscountGroup,
  findDiscountGroupByName,
  findDiscountGroups,
  insertDiscountGroup,
  listDiscountGroups as listRows,
  updateDiscountGroup as updateRow,
} from './repository.js';
import { serializeDiscountGroup, type DiscountGroupEntity } from './serialize.js';

/** create-discount-group's body: `name` (1–500 characters). */
export type CreateDiscountGroupInput = OperationBody<'create-discount-group'>;
/** update-discount-group's body: `name` and `status`, each optional. */
export type UpdateDiscountGroupInput = OperationBody<'update-discount-group'>;
/** list-discount-groups' query: `id`, `after`, `order_by`, `per_page`. */
export type DiscountGroupQuery = OperationQuery<'list-discount-groups'>;

async function getRow(ctx: Ctx, id: string): Promise<DiscountGroupRow> {
  const row = await findDiscountGroup(ctx.db, ctx.tenant, id);
  if (!row) throw notFound(id);
  return row;
}

/** The tenant's group `id`, or `404 not_found`. */
export async function getDiscountGroup(ctx: Ctx, id: string): Promise<DiscountGroupEntity> {
  return serializeDiscountGroup(await getRow(ctx, id));
}

/** Groups of every status (Paddle's list has no status filter), in the order asked (`id[DESC]` by default). */
export async function listDiscountGroups(ctx: Ctx, query: DiscountGroupQuery, page: PageRequest) {
  const result = await listRows(ctx.db, ctx.tenant, { id: query.id }, page);
  return { page: result, data: result.rows.map(serializeDiscountGroup) };
}

/** `409 discount_group_name_conflict` when another group of the tenant has this name (compared as written). */
async function assertNameFree(ctx: Ctx, name: string, exceptId?: string): Promise<void> {
  const existing = await findDiscountGroupByName(ctx.db, ctx.tenant, name);
  if (existing && existing.id !== exceptId) {
    throw new PaddleError(
      'discount_group_name_conflict',
      `Discount group name conflicts with the name of the discount group: ${existing.id}`,
    );
  }
}

async function recorded(
  ctx: TxCtx,
  event: 'discount_group.created' | 'discount_group.updated',
  row: DiscountGroupRow,
): Promise<DiscountGroupEntity> {
  const entity = serializeDiscountGroup(row);
  await recordEvent(ctx, event, entity);
  return entity;
}

/** A new active group, with its `discount_group.created` event. Throws `409 discount_group_name_conflict`. */
export async function createDiscountGroup(ctx: Ctx, input: CreateDiscountGroupInput): Promise<DiscountGroupEntity> {
  return withTransaction(ctx, async (ctx) => {
    const now = ctx.clock.now();
    const stored = toStoredTime(now);
    await assertNameFree(ctx, input.name);
    const row: DiscountGroupRow = {
      ...ctx.tenant,
      id: newId('discount_group'),
      name: input.name,
      status: 'active',
      import_meta: null,
      created_at: stored,
      updated_at: stored,
    };
    if ((await insertDiscountGroup(ctx.db, row)) === 'name_taken')
      throw new PaddleError('discount_group_name_conflict');
    return recorded(ctx, 'discount_group.created', row);
  });
}

/**
 * Renames or archives (`status: archived`) a group, with its `discount_group.updated` event. Throws `404
 * not_found`, `400 entity_archived` (an archived group not being made active), `409 discount_group_name_conflict`.
 */
export async function updateDiscountGroup(
  ctx: Ctx,
  id: string,
  input: UpdateDiscountGroupInput,
): Promise<DiscountGroupEntity> {
  return withTransaction(ctx, async (ctx) => {
    const current = await getRow(ctx, id);
    if (current.status === 'archived' && input.status !== 'active') throw entityArchived('Discount group', id);
    if (input.name !== undefined) await assertNameFree(ctx, input.name, id);
    const row: DiscountGroupRow = {
      ...current,
      name: input.name ?? current.name,
      status: input.status ?? current.status,
      updated_at: toStoredTime(ctx.clock.now()),
    };
    if ((await updateRow(ctx.db, row)) === 'name_taken') throw new PaddleError('discount_group_name_conflict');
    return recorded(ctx, 'discount_group.updated', row);
  });
}

/**
 * The group a discount may be put in (create-discount and update-discount's `discount_group_id`): one of the
 * tenant's, and active. Throws `404 not_found` (unknown, or another tenant's) or `400 entity_archived`.
 */
export async function assertAssignableDiscountGroup(ctx: Ctx, id: string): Promise<void> {
  const row = await getRow(ctx, id);
  if (row.status !== 'active') throw entityArchived('Discount group', id);
}

/** The tenant's groups among `ids`, by id, for `include=discount_group` (unknown ids are left out). */
export async function discountGroupsByIds(ctx: Ctx, ids: readonly string[]): Promise<Map<string, DiscountGroupEntity>> {
  const rows = await findDiscountGroups(ctx.db, ctx.tenant, [...new Set(ids)]);
  return new Map(rows.map((row) => [row.id, serializeDiscountGroup(row)]));
}
