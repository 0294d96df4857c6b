// Transaction totals as Paddle shows them in `details`: each line's `unit_totals`, `totals` and `tax_rate`, the
// transaction's `tax_rates_used` and `totals`. Pure: the caller passes prices, the buyer's country, the discount and
// the customer's available credit; nothing here reads a clock or a database. The rules (which amount is rounded
// where, and why) are in docs/tax-and-rounding.md; all rounding itself happens in kernel/money.ts.
import {
  add,
  allocate,
  applyRate,
  divide,
  extractRate,
  formatAmount,
  formatRate,
  isWholeRate,
  maxMoney,
  minMoney,
  multiply,
  parseAmount,
  parseRate,
  percent,
  roundHalfDown,
  roundHalfUp,
  subtract,
  zero,
  type Money,
  type Ratio,
  type Rounding,
} from '../kernel/money.js';
import { currencyInfo, formatTotals } from './currencies.js';
import { taxRateFor, type TaxCategory } from './tax-rates.js';

/** Paddle's `price.tax_mode`. */
export type TaxMode = 'account_setting' | 'external' | 'internal';
export type AccountTaxMode = 'external' | 'internal';

/**
 * What `account_setting` means when the seller has not said otherwise: prices exclusive of tax. Paddle's own
 * examples price everything with `account_setting` and add tax on top (GB 24000 + 4800 = 28800), and its
 * `GET /settings/tax` example answers `default_tax_mode: exclusive`.
 */
export const DEFAULT_ACCOUNT_TAX_MODE: AccountTaxMode = 'external';

/** Tax: nearest minor unit, exact halves toward zero (Paddle's examples: 887.5 → 887, 2662.5 → 2662, 4437.5 → 4437). */
export const TAX_ROUNDING: Rounding = roundHalfDown;
/** Proration, percentage discounts and per-unit shares: nearest minor unit, halves away from zero. */
export const AMOUNT_ROUNDING: Rounding = roundHalfUp;

/** Paddle's `transaction_item_proration`. */
export interface Proration {
  rate: string;
  billing_period: { starts_at: string; ends_at: string };
}

export interface TotalsLine<P = unknown> {
  /** `txnitm_…` id, copied to the line item when given (transactions have one, previews do not). */
  id?: string;
  price_id: string | null;
  /** Integer; negative for a credit (an item removed or reduced mid-cycle). */
  quantity: number;
  /** Price per unit for the full billing period, in the transaction's currency, never negative. */
  unit_price: Money;
  tax_mode: TaxMode;
  /** Share of the period billed, decimal string; defaults to `proration.rate`, else "1". */
  proration_rate?: string;
  /** Shown on the line item as is (null when absent). */
  proration?: Proration | null;
  /** Product snapshot, shown on the line item as is. */
  product: P;
  /** For a discount's `restrict_to`; products in a preview may have none. */
  product_id?: string | null;
  tax_category: TaxCategory;
  /** A rate already fixed for this line (e.g. kept from when the transaction was billed); else the table's. */
  tax_rate?: string;
}

/** The parts of Paddle's discount entity that change totals. */
export interface TotalsDiscount {
  type: 'percentage' | 'flat' | 'flat_per_seat';
  /** Percentage: "10" = 10 % (0.01 to 100). Flat kinds: minor units. */
  amount: string;
  /** Required for the flat kinds; must be the transaction's currency. */
  currency_code?: string | null;
  /** Price or product ids; null or absent = every line. */
  restrict_to?: readonly string[] | null;
}

export interface TotalsInput<P = unknown> {
  currency_code: string;
  /** The buyer's country (address), or null when unknown: no tax then. */
  country_code: string | null;
  lines: TotalsLine<P>[];
  discount?: TotalsDiscount | null;
  /** The customer's credit balance `available` in this currency; applied to what is due. */
  available_credit?: Money | null;
  /** Captured payments so far; `balance` is what is left to pay. */
  payments?: Money | null;
  /** The seller's default for `account_setting` prices. */
  account_tax_mode?: AccountTaxMode;
}

/** Paddle's `totals` (strings of minor units). */
export interface Totals {
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
}

export interface TransactionTotals extends Totals {
  credit: string;
  credit_to_balance: string;
  balance: string;
  grand_total: string;
  /**
   * The tax inside `grand_total` (Paddle, January 2026): `tax` when no credit is applied, else `tax` reduced in
   * proportion to what the credit paid (`tax × grand_total / total`, rounded as tax is).
   */
  grand_total_tax: string;
  fee: string | null;
  earnings: string | null;
  currency_code: string;
}

export interface TaxRateUsed {
  tax_rate: string;
  totals: Totals;
}

export interface LineItem<P = unknown> {
  id?: string;
  /**
   * Paddle sends `item_id` on every line item of transactions and previews, always null in its SDKs' fixtures
   * (Python SDK, 2026); Paddock sends null too.
   */
  item_id: null;
  price_id: string | null;
  quantity: number;
  proration: Proration | null;
  tax_rate: string;
  unit_totals: Totals;
  totals: Totals;
  product: P;
}

/** `details` without the fields that only exist after completion or adjustment. */
export interface TotalsDetails<P = unknown> {
  tax_rates_used: TaxRateUsed[];
  totals: TransactionTotals;
  line_items: LineItem<P>[];
}

interface Amounts {
  subtotal: Money;
  discount: Money;
  tax: Money;
  total: Money;
}

// ---- One line ----------------------------------------------------------------------------------------------

/**
 * A full-period line from its price-terms amount (`gross`: what the price says, before or including tax per
 * `mode`) and its discount in the same terms. Subtotal and discount are shown net of tax, so that
 * subtotal - discount + tax = total in both modes (Paddle: for `internal` prices "Paddle removes tax from the
 * discount applied").
 */
function fullPeriodAmounts(gross: Money, grossDiscount: Money, rate: Ratio, mode: AccountTaxMode): Amounts {
  const afterDiscount = subtract(gross, grossDiscount);
  if (mode === 'external') {
    const tax = applyRate(afterDiscount, rate, TAX_ROUNDING);
    return { subtotal: gross, discount: grossDiscount, tax, total: add(afterDiscount, tax) };
  }
  const tax = extractRate(afterDiscount, rate, TAX_ROUNDING);
  const subtotal = subtract(gross, extractRate(gross, rate, TAX_ROUNDING));
  const net = subtract(afterDiscount, tax);
  return { subtotal, discount: subtract(subtotal, net), tax, total: afterDiscount };
}

/**
 * The share `rate` of a full-period line. Subtotal, amount after discount and total are each prorated from the
 * full-period figures and rounded once; discount and tax are the differences. This is what reproduces Paddle's
 * prorated example lines (25000 + 2219 tax at 0.90513 → 22628 + 2009 = 24637).
 */
function prorate(full: Amounts, rate: Ratio): Amounts {
  if (isWholeRate(rate)) return full;
  const subtotal = applyRate(full.subtotal, rate, AMOUNT_ROUNDING);
  const net = applyRate(subtract(full.subtotal, full.discount), rate, AMOUNT_ROUNDING);
  const total = applyRate(full.total, rate, AMOUNT_ROUNDING);
  return { subtotal, discount: subtract(subtotal, net), tax: subtract(total, net), total };
}

function wire(amounts: Amounts): Totals {
  return {
    subtotal: formatAmount(amounts.subtotal.amount),
    discount: formatAmount(amounts.discount.amount),
    tax: formatAmount(amounts.tax.amount),
    total: formatAmount(amounts.total.amount),
  };
}

// ---- Discounts ---------------------------------------------------------------------------------------------

/** Whether the discount covers this line (`restrict_to` lists price or product ids). */
export function discountApplies(discount: TotalsDiscount, line: Pick<TotalsLine, 'price_id' | 'product_id'>): boolean {
  const only = discount.restrict_to;
  if (!only) return true;
  return (
    (line.price_id !== null && only.includes(line.price_id)) || (!!line.product_id && only.includes(line.product_id))
  );
}

interface LineDiscount {
  line: Money;
  unit: Money;
}

/**
 * Each line's discount in price terms, for the full period. Percentages apply to every covered line, credits
 * included (a credit gives back what was paid, discount and all); flat amounts only reduce covered charges and
 * never below zero: `flat` is shared over them in proportion to their amounts, `flat_per_seat` is per unit.
 */
function lineDiscounts(
  lines: TotalsLine[],
  discount: TotalsDiscount | null | undefined,
  currency: string,
): LineDiscount[] {
  const none = lines.map(() => ({ line: zero(currency), unit: zero(currency) }));
  if (!discount) return none;
  const covered = lines.map((line) => discountApplies(discount, line));
  const gross = lines.map((line) => multiply(line.unit_price, line.quantity));
  if (discount.type === 'percentage') {
    const share = percent(discount.amount);
    if (share.numerator <= 0n || share.numerator > share.denominator)
      throw new RangeError(`percentage discount must be in (0, 100]: ${discount.amount}`);
    return lines.map((line, i) =>
      covered[i]
        ? {
            line: applyRate(gross[i] as Money, share, AMOUNT_ROUNDING),
            unit: applyRate(line.unit_price, share, AMOUNT_ROUNDING),
          }
        : (none[i] as LineDiscount),
    );
  }
  if (discount.currency_code !== currency)
    throw new RangeError(
      `${discount.type} discount in ${discount.currency_code ?? 'no currency'} on a ${currency} transaction`,
    );
  const amount = { amount: parseAmount(discount.amount), currency };
  if (amount.amount < 0n) throw new RangeError('discount amount must not be negative');
  const charged = lines.map((line, i) => !!covered[i] && line.quantity > 0);
  if (discount.type === 'flat_per_seat') {
    return lines.map((line, i) =>
      charged[i]
        ? {
            line: minMoney(multiply(amount, line.quantity), gross[i] as Money),
            unit: minMoney(amount, line.unit_price),
          }
        : (none[i] as LineDiscount),
    );
  }
  const weights = lines.map((_, i) => (charged[i] ? (gross[i] as Money).amount : 0n));
  const shares = allocate(minMoney(amount, { amount: weights.reduce((a, b) => a + b, 0n), currency }), weights);
  return lines.map((line, i) => {
    const share = shares[i] as Money;
    return charged[i]
      ? { line: share, unit: divide(share, BigInt(line.quantity), AMOUNT_ROUNDING) }
      : (none[i] as LineDiscount);
  });
}

// ---- The transaction ---------------------------------------------------------------------------------------

function checkLine(line: TotalsLine, currency: string, index: number): void {
  if (!Number.isSafeInteger(line.quantity)) throw new RangeError(`lines[${index}].quantity must be an integer`);
  if (line.unit_price.currency !== currency)
    throw new RangeError(`lines[${index}] is priced in ${line.unit_price.currency}, the transaction in ${currency}`);
  if (line.unit_price.amount < 0n) throw new RangeError(`lines[${index}].unit_price must not be negative`);
}

function prorationRate(line: TotalsLine): string {
  const given = line.proration_rate ?? line.proration?.rate ?? '1';
  if (
    line.proration_rate !== undefined &&
    line.proration &&
    parseRateText(line.proration.rate) !== parseRateText(line.proration_rate)
  ) {
    throw new RangeError(`proration_rate ${line.proration_rate} differs from proration.rate ${line.proration.rate}`);
  }
  return given;
}

function parseRateText(rate: string): string {
  return formatRate(parseRate(rate));
}

/** Computes `details.line_items`, `details.tax_rates_used` and `details.totals` for a transaction or a preview. */
export function computeTotals<P>(input: TotalsInput<P>): TotalsDetails<P> {
  const currency = currencyInfo(input.currency_code).code;
  input.lines.forEach((line, index) => checkLine(line, currency, index));
  const accountMode = input.account_tax_mode ?? DEFAULT_ACCOUNT_TAX_MODE;
  const discounts = lineDiscounts(input.lines, input.discount, currency);

  const computed = input.lines.map((line, i) => {
    const mode = line.tax_mode === 'account_setting' ? accountMode : line.tax_mode;
    const taxRate = parseRateText(line.tax_rate ?? taxRateFor(input.country_code, line.tax_category));
    const rate = parseRate(taxRate);
    const proration = parseRate(prorationRate(line));
    const discount = discounts[i] as LineDiscount;
    const totals = prorate(
      fullPeriodAmounts(multiply(line.unit_price, line.quantity), discount.line, rate, mode),
      proration,
    );
    const unit = prorate(fullPeriodAmounts(line.unit_price, discount.unit, rate, mode), proration);
    const item: LineItem<P> = {
      ...(line.id !== undefined ? { id: line.id } : {}),
      item_id: null,
      price_id: line.price_id,
      quantity: line.quantity,
      proration: line.proration ?? null,
      tax_rate: taxRate,
      unit_totals: wire(unit),
      totals: wire(totals),
      product: line.product,
    };
    return { item, totals, taxRate };
  });

  const sumOf = (parts: Amounts[]): Amounts =>
    parts.reduce(
      (acc, part) => ({
        subtotal: add(acc.subtotal, part.subtotal),
        discount: add(acc.discount, part.discount),
        tax: add(acc.tax, part.tax),
        total: add(acc.total, part.total),
      }),
      { subtotal: zero(currency), discount: zero(currency), tax: zero(currency), total: zero(currency) },
    );

  const byRate = new Map<string, Amounts[]>();
  for (const { totals, taxRate } of computed) byRate.set(taxRate, [...(byRate.get(taxRate) ?? []), totals]);
  const taxRatesUsed = [...byRate].map(([tax_rate, parts]) => ({ tax_rate, totals: wire(sumOf(parts)) }));

  const overall = sumOf(computed.map((c) => c.totals));
  return {
    tax_rates_used: taxRatesUsed,
    totals: transactionTotals(overall, input.available_credit ?? null, input.payments ?? null),
    line_items: computed.map((c) => c.item),
  };
}

/**
 * The transaction-level fields, as Paddle's descriptions define them: `credit` is what the customer's credit
 * balance pays of a positive total (never more than is due); a negative total pays nothing and becomes
 * `credit_to_balance` (added to the customer's balance); `grand_total` is due after credits, before payments;
 * `balance` is what is left after payments. `fee` and `earnings` stay null until completion.
 */
function transactionTotals(overall: Amounts, availableCredit: Money | null, payments: Money | null): TransactionTotals {
  const currency = overall.total.currency;
  const nothing = zero(currency);
  const total = overall.total;
  const creditToBalance = total.amount < 0n ? multiply(total, -1) : nothing;
  const available = availableCredit ? maxMoney(availableCredit, nothing) : nothing;
  const credit = total.amount > 0n ? minMoney(available, total) : nothing;
  const grandTotal = add(subtract(total, credit), creditToBalance);
  const balance = maxMoney(subtract(grandTotal, payments ?? nothing), nothing);
  return {
    ...wire(overall),
    credit: formatAmount(credit.amount),
    credit_to_balance: formatAmount(creditToBalance.amount),
    balance: formatAmount(balance.amount),
    grand_total: formatAmount(grandTotal.amount),
    grand_total_tax: formatAmount(grandTotalTax(overall.tax, total, grandTotal).amount),
    fee: null,
    earnings: null,
    currency_code: currency,
  };
}

/**
 * The tax part of `grand_total`: all of `tax` when nothing was credited, else the share of it that the grand
 * total is of the total (Paddle's Go SDK: "proportionally reduced"), rounded as tax is. Nothing is due on a
 * total of zero or less, so no tax is either.
 */
function grandTotalTax(tax: Money, total: Money, grandTotal: Money): Money {
  if (total.amount <= 0n) return zero(total.currency);
  if (grandTotal.amount === total.amount) return tax;
  return { amount: TAX_ROUNDING(tax.amount * grandTotal.amount, total.amount), currency: total.currency };
}

/** Paddle's `transaction_totals_adjusted`, with the fields Paddle added since (`grand_total_tax`, `retained_fee`). */
export interface AdjustedTotals {
  subtotal: string;
  tax: string;
  total: string;
  grand_total: string;
  grand_total_tax: string;
  fee: string | null;
  earnings: string | null;
  currency_code: string;
  /** Paddle's fees kept when the transaction was adjusted (refunded or credited); "0" with no adjustments. */
  retained_fee: string;
}

/** `details.adjusted_totals` of a transaction with no adjustments yet. */
export function unadjustedTotals(totals: TransactionTotals): AdjustedTotals {
  return {
    subtotal: totals.subtotal,
    tax: totals.tax,
    total: totals.total,
    grand_total: totals.grand_total,
    grand_total_tax: totals.grand_total_tax,
    fee: totals.fee,
    earnings: totals.earnings,
    currency_code: totals.currency_code,
    retained_fee: '0',
  };
}

/** A price-preview line's `formatted_unit_totals` and `formatted_totals`. */
export function formattedLineTotals(
  line: Pick<LineItem, 'unit_totals' | 'totals'>,
  currencyCode: string,
  locale = 'en',
): { formatted_unit_totals: Totals; formatted_totals: Totals } {
  return {
    formatted_unit_totals: formatTotals(line.unit_totals, currencyCode, locale),
    formatted_totals: formatTotals(line.totals, currencyCode, locale),
  };
}

/** `details` as an older Paddock stored it: the fields Paddle added since may be missing. */
export interface StoredTotalsDetails {
  totals: Omit<TransactionTotals, 'grand_total_tax'> & { grand_total_tax?: string };
  adjusted_totals?: (Omit<AdjustedTotals, 'grand_total_tax' | 'retained_fee'> & Partial<AdjustedTotals>) | null;
  line_items: Array<Omit<LineItem, 'item_id'> & { item_id?: null }>;
}

/**
 * Fills in what Paddle added after a transaction's `details` were stored, as Paddle does for its own older
 * transactions: `grand_total_tax` is the `tax` ("For transactions created before this change, grand_total_tax is
 * the tax value"), `retained_fee` is "0" (no adjustment retained anything), `item_id` is null. Fields present
 * are kept as stored.
 */
export function withNewerTotalsFields<D extends StoredTotalsDetails>(details: D) {
  const adjusted = details.adjusted_totals;
  return {
    ...details,
    totals: { ...details.totals, grand_total_tax: details.totals.grand_total_tax ?? details.totals.tax },
    ...(adjusted
      ? {
          adjusted_totals: {
            ...adjusted,
            grand_total_tax: adjusted.grand_total_tax ?? adjusted.tax,
            retained_fee: adjusted.retained_fee ?? '0',
          },
        }
      : {}),
    line_items: details.line_items.map((line) => ({ ...line, item_id: line.item_id ?? null })),
  };
}
