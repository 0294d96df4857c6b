// Standard VAT / GST / sales-tax rates by buyer country (ISO 3166-1 alpha-2), as Paddock charges them.
// One rate per country, the standard one, in force on 2026-11-24; sources and the reasoning behind every
// simplification are in docs/tax-and-rounding.md ("Rate table"). A country missing here is charged no tax.

/** Paddle's `tax_category` enum. */
export type TaxCategory =
  | 'digital-goods'
  | 'ebooks'
  | 'implementation-services'
  | 'professional-services'
  | 'saas'
  | 'software-programming-services'
  | 'standard'
  | 'training-services'
  | 'website-hosting';

export const TAX_CATEGORIES: readonly TaxCategory[] = [
  'digital-goods',
  'ebooks',
  'implementation-services',
  'professional-services',
  'saas',
  'software-programming-services',
  'standard',
  'training-services',
  'website-hosting',
];

export interface TaxRateEntry {
  country_code: string;
  /** Decimal string as Paddle writes `tax_rate`: "0.19", "0.255", "0". */
  rate: string;
  /** What the tax is called on documents in that country. */
  name: 'VAT' | 'GST' | 'Consumption tax' | 'Sales tax' | 'Service tax' | 'IGV';
}

function entry(country_code: string, rate: string, name: TaxRateEntry['name'] = 'VAT'): TaxRateEntry {
  return Object.freeze({ country_code, rate, name });
}

export const STANDARD_TAX_RATES: Readonly<Record<string, TaxRateEntry>> = Object.freeze(
  Object.fromEntries(
    [
      // European Union, all 27 member states.
      entry('AT', '0.2'),
      entry('BE', '0.21'),
      entry('BG', '0.2'),
      entry('HR', '0.25'),
      entry('CY', '0.19'),
      entry('CZ', '0.21'),
      entry('DK', '0.25'),
      entry('EE', '0.24'),
      entry('FI', '0.255'),
      entry('FR', '0.2'),
      entry('DE', '0.19'),
      entry('GR', '0.24'),
      entry('HU', '0.27'),
      entry('IE', '0.23'),
      entry('IT', '0.22'),
      entry('LV', '0.21'),
      entry('LT', '0.21'),
      entry('LU', '0.17'),
      entry('MT', '0.18'),
      entry('NL', '0.21'),
      entry('PL', '0.23'),
      entry('PT', '0.23'),
      entry('RO', '0.21'),
      entry('SK', '0.23'),
      entry('SI', '0.22'),
      entry('ES', '0.21'),
      entry('SE', '0.25'),
      // Territories inside an EU or UK VAT area under their own ISO code.
      entry('MC', '0.2'),
      entry('IM', '0.2'),
      // Rest of Europe.
      entry('GB', '0.2'),
      entry('NO', '0.25'),
      entry('CH', '0.081'),
      entry('LI', '0.081'),
      entry('IS', '0.24'),
      entry('TR', '0.2'),
      entry('UA', '0.2'),
      entry('RS', '0.2'),
      // Asia-Pacific.
      entry('AU', '0.1', 'GST'),
      entry('NZ', '0.15', 'GST'),
      entry('JP', '0.1', 'Consumption tax'),
      entry('KR', '0.1'),
      entry('SG', '0.09', 'GST'),
      entry('IN', '0.18', 'GST'),
      entry('TW', '0.05'),
      entry('TH', '0.07'),
      entry('MY', '0.08', 'Service tax'),
      entry('PH', '0.12'),
      // Middle East and Africa.
      entry('IL', '0.18'),
      entry('AE', '0.05'),
      entry('SA', '0.15'),
      entry('BH', '0.1'),
      entry('OM', '0.05'),
      entry('ZA', '0.15'),
      entry('KE', '0.16'),
      entry('NG', '0.075'),
      entry('EG', '0.14'),
      // Americas.
      entry('CA', '0.05', 'GST'),
      entry('US', '0', 'Sales tax'),
      entry('MX', '0.16'),
      entry('CL', '0.19'),
      entry('CO', '0.19'),
      entry('AR', '0.21'),
      entry('PE', '0.18', 'IGV'),
    ].map((rate) => [rate.country_code, rate]),
  ),
);

/** The table's entry for a country, if it has one. */
export function taxRateEntry(countryCode: string | null | undefined): TaxRateEntry | undefined {
  if (!countryCode) return undefined;
  const code = countryCode.toUpperCase();
  return Object.hasOwn(STANDARD_TAX_RATES, code) ? STANDARD_TAX_RATES[code] : undefined;
}

/**
 * The rate Paddock charges a buyer in `countryCode` for a product of `taxCategory`: the country's standard rate for
 * every category (docs/tax-and-rounding.md, "Tax categories"), "0" for a country not in the table or no country.
 */
export function taxRateFor(countryCode: string | null | undefined, taxCategory: TaxCategory): string {
  if (!TAX_CATEGORIES.includes(taxCategory)) throw new RangeError(`unknown tax category: ${taxCategory}`);
  return taxRateEntry(countryCode)?.rate ?? '0';
}

/** Label for documents ("VAT", "GST", …); "Tax" where the table has nothing. */
export function taxName(countryCode: string | null | undefined): string {
  return taxRateEntry(countryCode)?.name ?? 'Tax';
}
