// A dated table of reference exchange rates, shipped with Paddock so that payouts convert without any network at
// run time. Data, not logic: the arithmetic is in payouts.ts. Where the figures come from and how to refresh them:
// docs/tax-and-rounding.md, "Exchange rates".

/** Reference rates against the euro: 1 EUR = `rates[code]` units of `code` (EUR itself is 1). */
export interface ReferenceRates {
  /** The business day the rates were published for (ISO 8601 date). */
  date: string;
  source: string;
  base: 'EUR';
  rates: Readonly<Record<string, string>>;
}

/**
 * The European Central Bank's euro foreign exchange reference rates of 2025-05-09 (the daily concertation at
 * 14:15 CET, published around 16:00 CET), the 30 currencies quoted that day, copied as published (ECB
 * `eurofxref-hist.csv`, the row for 2025-05-09). Currencies Paddle sells in that the ECB does not quote (ARS, CLP,
 * COP, PEN, RUB, TWD, UAH, VND) have no rate here.
 */
export const ECB_REFERENCE_RATES: ReferenceRates = Object.freeze({
  date: '2025-05-09',
  source: 'European Central Bank, euro foreign exchange reference rates (eurofxref-hist.csv)',
  base: 'EUR',
  rates: Object.freeze({
    USD: '1.1252',
    JPY: '163.36',
    BGN: '1.9558',
    CZK: '24.946',
    DKK: '7.4604',
    GBP: '0.8477',
    HUF: '404.9',
    PLN: '4.2393',
    RON: '5.1181',
    SEK: '10.92',
    CHF: '0.9353',
    ISK: '146.9',
    NOK: '11.6725',
    TRY: '43.5999',
    AUD: '1.7572',
    BRL: '6.3647',
    CAD: '1.5658',
    CNY: '8.147',
    HKD: '8.7519',
    IDR: '18606.59',
    ILS: '3.9928',
    INR: '96.0755',
    KRW: '1575.72',
    MXN: '21.9473',
    MYR: '4.835',
    NZD: '1.9095',
    PHP: '62.413',
    SGD: '1.46',
    THB: '37.132',
    ZAR: '20.4835',
  }),
});
