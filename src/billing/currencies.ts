// The currencies Paddle prices in, with how many decimals their lowest denomination has, and display formatting
// (checkout pages, PDF invoices, and the `formatted_totals` / `formatted_unit_totals` of price previews).
// Exponents are ISO 4217's minor units; see docs/tax-and-rounding.md for HUF and TWD.
import { parseAmount, toDecimalString } from '../kernel/money.js';

export interface CurrencyInfo {
  code: string;
  name: string;
  /** Decimals between the lowest denomination (Paddle's wire amount) and the amount a person reads. */
  exponent: number;
}

function currency(code: string, name: string, exponent = 2): CurrencyInfo {
  return { code, name, exponent };
}

/** The v1 spec's `currency_code` enum (31 codes) plus CLP and PEN, which Paddle added in 2026. */
export const CURRENCIES: Readonly<Record<string, CurrencyInfo>> = Object.freeze(
  Object.fromEntries(
    [
      currency('USD', 'United States Dollar'),
      currency('EUR', 'Euro'),
      currency('GBP', 'Pound Sterling'),
      currency('JPY', 'Japanese Yen', 0),
      currency('AUD', 'Australian Dollar'),
      currency('CAD', 'Canadian Dollar'),
      currency('CHF', 'Swiss Franc'),
      currency('HKD', 'Hong Kong Dollar'),
      currency('SGD', 'Singapore Dollar'),
      currency('SEK', 'Swedish Krona'),
      currency('ARS', 'Argentine Peso'),
      currency('BRL', 'Brazilian Real'),
      currency('CNY', 'Chinese Yuan'),
      currency('COP', 'Colombian Peso'),
      currency('CZK', 'Czech Koruna'),
      currency('DKK', 'Danish Krone'),
      // @NOTE ISO 4217 gives HUF and TWD two decimals; some payment networks settle them in whole units, but
      // Paddle's wire amount is the ISO lowest denomination (docs/tax-and-rounding.md, "Currencies").
      currency('HUF', 'Hungarian Forint'),
      currency('ILS', 'Israeli Shekel'),
      currency('INR', 'Indian Rupee'),
      currency('KRW', 'South Korean Won', 0),
      currency('MXN', 'Mexican Peso'),
      currency('NOK', 'Norwegian Krone'),
      currency('NZD', 'New Zealand Dollar'),
      currency('PLN', 'Polish Zloty'),
      currency('RUB', 'Russian Ruble'),
      currency('THB', 'Thai Baht'),
      currency('TRY', 'Turkish Lira'),
      currency('TWD', 'New Taiwan Dollar'),
      currency('UAH', 'Ukrainian Hryvnia'),
      currency('VND', 'Vietnamese Dong', 0),
      currency('ZAR', 'South African Rand'),
      currency('CLP', 'Chilean Peso', 0),
      currency('PEN', 'Peruvian Sol'),
    ].map((info) => [info.code, Object.freeze(info)]),
  ),
);

export function isSupportedCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCIES, code);
}

/** The currency's entry; throws for a code Paddle does not price in (callers validate input against the spec first). */
export function currencyInfo(code: string): CurrencyInfo {
  const info = Object.hasOwn(CURRENCIES, code) ? CURRENCIES[code] : undefined;
  if (!info) throw new RangeError(`unsupported currency: ${code}`);
  return info;
}

export function currencyExponent(code: string): number {
  return currencyInfo(code).exponent;
}

/** The amount a person reads, as an exact decimal string: ("2499", "USD") → "24.99", ("1000", "JPY") → "1000". */
export function majorUnits(amount: bigint | string, code: string): string {
  const minor = typeof amount === 'string' ? parseAmount(amount) : amount;
  return toDecimalString(minor, currencyExponent(code));
}

const formatters = new Map<string, Intl.NumberFormat>();

function formatterFor(code: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${code}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    const digits = currencyExponent(code);
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Display money: ("1000", "USD") → "$10.00", ("100000", "JPY") → "¥100,000", ("-4927", "USD") → "-$49.27".
 * The amount goes to Intl as an exact decimal string (never a float), with the currency's own number of decimals.
 */
export function formatMoney(amount: bigint | string, code: string, locale = 'en'): string {
  // Intl.NumberFormat.prototype.format reads numeric strings as exact decimals; its TS signature predates that.
  return formatterFor(code, locale).format(majorUnits(amount, code) as unknown as number);
}

/** Paddle's `totals` shape (strings of minor units). */
export interface TotalsStrings {
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
}

/** `formatted_totals` / `formatted_unit_totals` of a price preview: the same four fields, formatted for display. */
export function formatTotals(totals: TotalsStrings, code: string, locale = 'en'): TotalsStrings {
  return {
    subtotal: formatMoney(totals.subtotal, code, locale),
    discount: formatMoney(totals.discount, code, locale),
    tax: formatMoney(totals.tax, code, locale),
    total: formatMoney(totals.total, code, locale),
  };
}
