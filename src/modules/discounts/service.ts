// Discounts: Paddle's coupons and promo codes. A code is unique per seller and environment whatever its case
// (Paddle: "Not case-sensitive"); archiving is a status change, and an archived discount accepts no change except
// being made active again. The arithmetic lives in billing/totals.ts, the rules on terms and redemption in
// billing/discounts.ts; applying a discount elsewhere goes through ./redemption.ts.
import { randomInt } from 'node:crypto';
import { discountTermsErrors } from '../../billing/discounts.js';
import { type Ctx, withTransaction, type TxCtx } from '../../context.js';
import { customDataColumn } from '../../db/json.js';
import type { PageRequest } from '../../db/pagination.js';
import type { DiscountRow } from '../../db/tables.js';
import { recordEvent } from '../../events/record.js';
import { entityArchived, invalidField, notFound, PaddleError } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { storedFromRfc3339, toStoredTime } from '../../kernel/time.js';
import type { OperationBody, OperationQuery } from '../../spec/operations.js';
import { assertAssignableDiscountGroup, discountGroupsByIds } from '../discount-groups/service.js';
import type { DiscountGroupEntity } from '../discount-groups/serialize.js';
import { findPriceRow } from '../prices/service.js';
import { productsByIds } from '../products/service.js';
import {
  findDiscount,
  findDiscountByCode,
  insertDiscount,
  listDiscounts as listRows,
  updateDiscount as updateRow,
} from './repository.js';
import { restrictToColumn, serializeDiscount, type DiscountEntity } from './serialize.js';

/** The body of Paddle's create-discount: `description`, `type` and `amount` required. */
export type CreateDiscountInput = OperationBody<'create-discount'>;
/** The body of Paddle's update-discount: every field optional; `null` clears a nullable field. */
export type UpdateDiscountInput = OperationBody<'update-discount'>;
/** list-discounts' query. */
export type DiscountQuery = OperationQuery<'list-discounts'>;

/** Loads a discount of the tenant or throws Paddle's 404. */
export async function getDiscountRow(ctx: Ctx, id: string): Promise<DiscountRow> {
  const row = await findDiscount(ctx.db, ctx.tenant, id);
  if (!row) throw notFound(id);
  return row;
}

/** The tenant's discount with this code (compared without case), or undefined. */
export async function findDiscountRowByCode(ctx: Ctx, code: string): Promise<DiscountRow | undefined> {
  return findDiscountByCode(ctx.db, ctx.tenant, code.toLowerCase());
}

export async function getDiscount(ctx: Ctx, id: string): Promise<DiscountEntity> {
  return serializeDiscount(await getDiscountRow(ctx, id));
}

/**
 * Discounts, newest first. Paddle returns `active` discounts unless `status` says otherwise, and leaves `custom`
 * (non-catalog) discounts out of lists unless `mode=custom` is asked for.
 */
export async function listDiscounts(ctx: Ctx, query: DiscountQuery, page: PageRequest) {
  const result = await listRows(
    ctx.db,
    ctx.tenant,
    {
      id: query.id,
      codeKeys: query.code?.map((code) => code.toLowerCase()),
      status: query.status ?? ['active'],
      mode: query.mode ?? 'standard',
      discount_group_id: query.discount_group_id,
    },
    page,
  );
  return { page: result, data: result.rows.map(serializeDiscount) };
}

/**
 * `include=discount_group`: each discount with `discount_group`, its group's entity (whatever the group's status),
 * or null when it is in no group.
 */
export async function withDiscountGroups(
  ctx: Ctx,
  discounts: readonly DiscountEntity[],
): Promise<Array<DiscountEntity & { discount_group: DiscountGroupEntity | null }>> {
  const groupIds = discounts.flatMap((discount) => (discount.discount_group_id ? [discount.discount_group_id] : []));
  const groups = await discountGroupsByIds(ctx, groupIds);
  return discounts.map((discount) => ({
    ...discount,
    discount_group: (discount.discount_group_id && groups.get(discount.discount_group_id)) || null,
  }));
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Paddle: "If omitted and `enabled_for_checkout` is `true`, Paddle generates a random 10-character code." */
function generatedCode(): string {
  return Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** 409 `discount_code_conflict` when another discount of the tenant has this code, whatever its case. */
async function assertCodeFree(ctx: Ctx, code: string, exceptId?: string): Promise<void> {
  const existing = await findDiscountRowByCode(ctx, code);
  if (existing && existing.id !== exceptId)
    throw new PaddleError('discount_code_conflict', `Discount code conflicts with Discount ID ${existing.id}`);
}

/** A code for a discount that has none but is enabled for checkout: random until it is free. */
async function freeGeneratedCode(ctx: Ctx): Promise<string> {
  for (;;) {
    const code = generatedCode();
    if (!(await findDiscountRowByCode(ctx, code))) return code;
  }
}

/**
 * Every id of `restrict_to` must be an active product or price of the tenant (Paddle's
 * `discount_restricted_product_not_active` / `discount_restricted_product_price_not_active`, also for unknown ids).
 */
async function assertRestrictable(ctx: Ctx, ids: readonly string[]): Promise<void> {
  const products = await productsByIds(
    ctx,
    ids.filter((id) => id.startsWith('pro_')),
  );
  for (const id of ids) {
    if (id.startsWith('pro_')) {
      if (products.get(id)?.status !== 'active')
        throw new PaddleError('discount_restricted_product_not_active', `Product given not active ${id}`);
    } else if ((await findPriceRow(ctx, id))?.status !== 'active') {
      throw new PaddleError('discount_restricted_product_price_not_active', `Product Price given not active ${id}`);
    }
  }
}

/** Terms that do not fit together are one `400 invalid_field` (billing/discounts.ts says which). */
function assertTerms(row: DiscountRow): void {
  const errors = discountTermsErrors({
    type: row.type,
    amount: row.amount,
    currency_code: row.currency_code,
    recur: Number(row.recur) === 1,
    maximum_recurring_intervals:
      row.maximum_recurring_intervals === null ? null : Number(row.maximum_recurring_intervals),
  });
  if (errors.length > 0) throw invalidField(errors);
}

function storedExpiry(expiresAt: string | null | undefined): string | null {
  if (expiresAt === null || expiresAt === undefined) return null;
  const stored = storedFromRfc3339(expiresAt);
  if (stored === undefined) throw invalidField([{ field: 'expires_at', message: 'must be an RFC 3339 datetime' }]);
  return stored;
}

const bigintOrNull = (value: number | null | undefined): bigint | null =>
  value === null || value === undefined ? null : BigInt(value);

/** Checks a discount as it would be stored, then finds it a code when it needs one; returns the row to write. */
async function settled(ctx: Ctx, row: DiscountRow, restrictTo: readonly string[] | null): Promise<DiscountRow> {
  assertTerms(row);
  if (restrictTo) await assertRestrictable(ctx, restrictTo);
  let code = row.code;
  if (code !== null) await assertCodeFree(ctx, code, row.id);
  else if (Number(row.enabled_for_checkout) === 1) code = await freeGeneratedCode(ctx);
  return { ...row, code, code_key: code === null ? null : code.toLowerCase() };
}

/**
 * A new discount, with its `discount.created` event. `discount_group_id` must name an active group of the tenant
 * (`404 not_found`, `400 entity_archived`); the terms, `restrict_to` and the code are checked as `settled` says.
 */
export async function createDiscount(ctx: Ctx, input: CreateDiscountInput): Promise<DiscountEntity> {
  return withTransaction(ctx, async (ctx) => {
    const now = ctx.clock.now();
    const stored = toStoredTime(now);
    const restrictTo = input.restrict_to ?? null;
    if (input.discount_group_id) await assertAssignableDiscountGroup(ctx, input.discount_group_id);
    const row = await settled(
      ctx,
      {
        ...ctx.tenant,
        id: newId('discount'),
        status: 'active',
        description: input.description,
        enabled_for_checkout: input.enabled_for_checkout === false ? 0n : 1n,
        code: input.code ?? null,
        code_key: null,
        type: input.type,
        mode: input.mode ?? 'standard',
        amount: input.amount,
        currency_code: input.currency_code ?? null,
        recur: input.recur === true ? 1n : 0n,
        maximum_recurring_intervals: bigintOrNull(input.maximum_recurring_intervals),
        usage_limit: bigintOrNull(input.usage_limit),
        restrict_to: restrictToColumn.encode(restrictTo),
        expires_at: storedExpiry(input.expires_at),
        custom_data: customDataColumn.encode(input.custom_data),
        times_used: 0n,
        discount_group_id: input.discount_group_id ?? null,
        import_meta: null,
        created_at: stored,
        updated_at: stored,
      },
      restrictTo,
    );
    await insertDiscount(ctx.db, row);
    return recorded(ctx, 'discount.created', row);
  });
}

async function recorded(
  ctx: TxCtx,
  event: 'discount.created' | 'discount.updated',
  row: DiscountRow,
): Promise<DiscountEntity> {
  const entity = serializeDiscount(row);
  await recordEvent(ctx, event, entity);
  return entity;
}

/** The row after the update's fields (only those given; `null` clears). */
function updatedRow(current: DiscountRow, input: UpdateDiscountInput, stored: string): DiscountRow {
  const given = <K extends keyof UpdateDiscountInput>(key: K): boolean => input[key] !== undefined;
  return {
    ...current,
    ...(given('status') ? { status: input.status as string } : {}),
    ...(given('description') ? { description: input.description as string } : {}),
    ...(given('enabled_for_checkout') ? { enabled_for_checkout: input.enabled_for_checkout ? 1n : 0n } : {}),
    ...(given('code') ? { code: input.code ?? null } : {}),
    ...(given('type') ? { type: input.type as string } : {}),
    ...(given('mode') ? { mode: input.mode as string } : {}),
    ...(given('amount') ? { amount: input.amount as string } : {}),
    ...(given('currency_code') ? { currency_code: input.currency_code ?? null } : {}),
    ...(given('recur') ? { recur: input.recur ? 1n : 0n } : {}),
    ...(given('maximum_recurring_intervals')
      ? { maximum_recurring_intervals: bigintOrNull(input.maximum_recurring_intervals) }
      : {}),
    ...(given('usage_limit') ? { usage_limit: bigintOrNull(input.usage_limit) } : {}),
    ...(given('restrict_to') ? { restrict_to: restrictToColumn.encode(input.restrict_to) } : {}),
    ...(given('expires_at') ? { expires_at: storedExpiry(input.expires_at) } : {}),
    ...(given('custom_data') ? { custom_data: customDataColumn.encode(input.custom_data) } : {}),
    ...(given('discount_group_id') ? { discount_group_id: input.discount_group_id ?? null } : {}),
    updated_at: stored,
  };
}

/**
 * Updates the fields given. An archived discount accepts only `status: active` (with other changes); a new
 * `discount_group_id` must name an active group of the tenant (`404 not_found`, `400 entity_archived`);
 * `usage_limit` may not go below `times_used`; a new code must be free; clearing the code of a discount enabled
 * for checkout gives it a new random one (Paddle's advice for a conflicting code).
 */
export async function updateDiscount(ctx: Ctx, id: string, input: UpdateDiscountInput): Promise<DiscountEntity> {
  return withTransaction(ctx, async (ctx) => {
    const current = await getDiscountRow(ctx, id);
    if (current.status === 'archived' && input.status !== 'active') throw entityArchived('Discount', id);
    const next = updatedRow(current, input, toStoredTime(ctx.clock.now()));
    // @NOTE only a change of group is checked: a discount stays in a group archived since.
    if (next.discount_group_id !== null && next.discount_group_id !== current.discount_group_id)
      await assertAssignableDiscountGroup(ctx, next.discount_group_id);
    if (next.usage_limit !== null && input.usage_limit !== undefined && next.usage_limit < next.times_used) {
      throw new PaddleError(
        'discount_usage_limit_less_than_times_used',
        `Usage limit is less than times already used (Times Used: ${next.times_used}, Usage Limit: ${next.usage_limit})`,
      );
    }
    const row = await settled(ctx, next, input.restrict_to ?? null);
    await updateRow(ctx.db, row);
    return recorded(ctx, 'discount.updated', row);
  });
}
