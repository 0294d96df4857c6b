// Adjustments (refunds and credits after billing) as arithmetic: which part of each transaction line an adjustment
// takes, what it totals, and what is left of the transaction afterwards. Paddle's rules
// (developer.paddle.com/build/transactions/create-transaction-adjustments): an item is adjusted in full (what is
// left of it) or in part (an `amount`), never by zero and never beyond what is left; tax is taken in proportion to
// what is left of the item, so a series of partial adjustments ends exactly at the line's figures.
import { DomainError } from './errors.js';
import type { FieldError } from '../kernel/errors.js';
import { roundHalfUp } from '../kernel/money.js';

/** Money figures of one line or adjustment, in minor units. */
export interface AdjustedFigures {
  subtotal: bigint;
  tax: bigint;
  total: bigint;
}

/** A transaction line as adjustments see it: its id (`txnitm_`), its figures, and how much earlier adjustments took. */
export interface AdjustableLine {
  id: string;
  /** The line's tax rate (a decimal string such as "0.2"), for the adjustment's `tax_rates_used`. */
  tax_rate: string;
  totals: AdjustedFigures;
  adjusted: AdjustedFigures;
}

export interface AdjustmentItemRequest {
  item_id: string;
  type: 'full' | 'partial';
  /** Minor units as digits; required for `partial`. Tax-inclusive unless the tax mode is `external`. */
  amount?: string | null;
}

export interface AdjustmentRequest {
  /** `full` adjusts what is left of every line; `partial` (Paddle's default) the `items` given. */
  type: 'full' | 'partial';
  items: readonly AdjustmentItemRequest[];
  /** `internal` (default): amounts include tax; `external`: amounts exclude it and tax is added. */
  tax_mode: 'internal' | 'external';
}

export interface AdjustedItem {
  item_id: string;
  tax_rate: string;
  type: 'full' | 'partial';
  amount: bigint;
  totals: AdjustedFigures;
}

export interface AdjustmentFigures {
  items: AdjustedItem[];
  totals: AdjustedFigures;
}

const ZERO: AdjustedFigures = { subtotal: 0n, tax: 0n, total: 0n };

function left(line: AdjustableLine): AdjustedFigures {
  return {
    subtotal: line.totals.subtotal - line.adjusted.subtotal,
    tax: line.totals.tax - line.adjusted.tax,
    total: line.totals.total - line.adjusted.total,
  };
}

/** `part` of `whole`'s tax, in proportion `part / base` (halves away from zero), never more than is left. */
function proportionalTax(part: bigint, base: bigint, tax: bigint): bigint {
  if (base === 0n) return 0n;
  const share = roundHalfUp(part * tax, base);
  return share > tax ? tax : share;
}

/** The figures of a partial adjustment of `amount` on a line with `remaining` left, or a reason it cannot be. */
function partialFigures(
  amount: bigint,
  remaining: AdjustedFigures,
  taxMode: AdjustmentRequest['tax_mode'],
): AdjustedFigures {
  if (taxMode === 'external') {
    const tax = proportionalTax(amount, remaining.subtotal, remaining.tax);
    return { subtotal: amount, tax, total: amount + tax };
  }
  const tax = proportionalTax(amount, remaining.total, remaining.tax);
  return { subtotal: amount - tax, tax, total: amount };
}

function itemFigures(
  request: AdjustmentItemRequest,
  line: AdjustableLine,
  taxMode: AdjustmentRequest['tax_mode'],
  field: string,
  errors: FieldError[],
): AdjustedItem | undefined {
  const remaining = left(line);
  if (remaining.total <= 0n) {
    errors.push({ field, message: `Adjustment item ${line.id} has already been fully adjusted` });
    return undefined;
  }
  if (request.type === 'full') {
    return { item_id: line.id, tax_rate: line.tax_rate, type: 'full', amount: remaining.total, totals: remaining };
  }
  const digits = request.amount ?? '';
  if (!/^\d+$/.test(digits)) {
    errors.push({ field: `${field}.amount`, message: 'required for a partial adjustment: minor units as digits' });
    return undefined;
  }
  const amount = BigInt(digits);
  if (amount === 0n) {
    errors.push({
      field: `${field}.amount`,
      message: `You are attempting to make an adjustment with zero amount on a transaction item. ID ${line.id}`,
    });
    return undefined;
  }
  const totals = partialFigures(amount, remaining, taxMode);
  if (totals.total > remaining.total) {
    errors.push({
      field: `${field}.amount`,
      message: `adjustment amount for item ${line.id} is over remaining allowed ${remaining.total}`,
    });
    return undefined;
  }
  return { item_id: line.id, tax_rate: line.tax_rate, type: 'partial', amount, totals };
}

function sum(figures: readonly AdjustedFigures[]): AdjustedFigures {
  return figures.reduce(
    (acc, f) => ({ subtotal: acc.subtotal + f.subtotal, tax: acc.tax + f.tax, total: acc.total + f.total }),
    ZERO,
  );
}

/**
 * What an adjustment takes from each line and in all. Throws Paddle's `adjustment_transaction_item_invalid` with
 * one field error per refused item (unknown, already fully adjusted, zero, over what is left), or
 * `adjustment_total_amount_above_remaining_allowed` when a full adjustment finds nothing left.
 */
export function adjustmentFigures(lines: readonly AdjustableLine[], request: AdjustmentRequest): AdjustmentFigures {
  const errors: FieldError[] = [];
  const items: AdjustedItem[] = [];
  if (request.type === 'full') {
    for (const line of lines) {
      const remaining = left(line);
      if (remaining.total > 0n)
        items.push({
          item_id: line.id,
          tax_rate: line.tax_rate,
          type: 'full',
          amount: remaining.total,
          totals: remaining,
        });
    }
    if (items.length === 0) {
      throw new DomainError(
        'adjustment_total_amount_above_remaining_allowed',
        'The adjustment amount exceeds the total amount left to adjust. Amount Left: 0',
      );
    }
    return { items, totals: sum(items.map((item) => item.totals)) };
  }
  const byId = new Map(lines.map((line) => [line.id, line]));
  const seen = new Set<string>();
  for (const [index, requested] of request.items.entries()) {
    const field = `items[${index}]`;
    const line = byId.get(requested.item_id);
    if (!line || seen.has(requested.item_id)) {
      errors.push({
        field: `${field}.item_id`,
        message: line
          ? `item ${requested.item_id} appears twice`
          : `${requested.item_id} is not an item of the transaction`,
      });
      continue;
    }
    seen.add(requested.item_id);
    const item = itemFigures(requested, line, request.tax_mode, field, errors);
    if (item) items.push(item);
  }
  if (errors.length > 0) {
    throw new DomainError('adjustment_transaction_item_invalid', undefined, errors);
  }
  return { items, totals: sum(items.map((item) => item.totals)) };
}

/**
 * The part of a transaction's Paddle fee that an adjustment of `adjustedTotal` out of `transactionTotal` carries
 * (proportional, halves away from zero); zero when the transaction has no fee yet.
 */
export function adjustmentFee(fee: bigint | null, adjustedTotal: bigint, transactionTotal: bigint): bigint {
  if (fee === null || transactionTotal <= 0n) return 0n;
  return roundHalfUp(fee * adjustedTotal, transactionTotal);
}
