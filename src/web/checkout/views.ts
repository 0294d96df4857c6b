// The hosted checkout's pages, rendered from view models that carry display strings (amounts already
// formatted for the currency). One plain HTML form per action, so every page works without JavaScript.
import { html, type SafeHtml } from '../shared/html.js';
import {
  CARD_FIELDS,
  CVC_FIELD,
  EXPIRY_FIELDS,
  errorSummary,
  fieldFrame,
  inputField,
  type FieldSpec,
} from '../shared/fields.js';
import { renderPage } from '../shared/layout.js';
import type { CountryCode } from '../../modules/transactions/operations/checkout-details.js';

// ---- View models ----------------------------------------------------------------------------------------

export interface CheckoutItemVm {
  product_name: string;
  /** The price's description, e.g. "Monthly subscription"; empty when the price has none. */
  price_description: string;
  quantity: number;
  /** Quantity × unit price, formatted, e.g. "€20.00". */
  line_total: string;
}

/** Every amount is shown exactly as given: pass "−€2.00" if a discount or credit should carry a minus sign. */
export interface CheckoutTotalsVm {
  subtotal: string;
  /** Null when there is no discount. */
  discount: string | null;
  /** One line per tax rate used, e.g. { label: "Tax (20%)", amount: "€4.00" }; empty when untaxed. */
  taxes: Array<{ label: string; amount: string }>;
  total: string;
  /** Credit from the customer's balance applied to this transaction; null when none. */
  credit: string | null;
  /** What the customer pays now (total minus credit). */
  amount_due: string;
}

/** The form's field names, which are also the keys of the form body the route receives. */
export type CheckoutField =
  | 'email'
  | 'country_code'
  | 'postal_code'
  | 'cardholder_name'
  | 'number'
  | 'expiry_month'
  | 'expiry_year'
  | 'cvc'
  | 'discount_code';

export interface CheckoutError {
  /** The field the message belongs next to; null for a message about the whole payment (e.g. a decline). */
  field: CheckoutField | null;
  message: string;
}

export interface CheckoutPageVm {
  /** The seller's name, shown in the header. */
  seller_name: string;
  lang?: string;
  transaction_id: string;
  /** Where the form POSTs. */
  action: string;
  /** Sent back as the hidden field `attempt_key`, so a double submit is one payment attempt. */
  attempt_key: string;
  items: CheckoutItemVm[];
  totals: CheckoutTotalsVm;
  /** The customer's email when the transaction has a customer; shown as "Paying as …". */
  customer_email: string | null;
  /** Ask for an email address (the transaction has no customer yet). */
  ask_email: boolean;
  /** Ask for country and postal code (the transaction has no address yet). */
  ask_address: boolean;
  /** Non-card values from the previous try, put back in their fields. Card fields are never refilled. */
  values: { email?: string; country_code?: string; postal_code?: string; discount_code?: string };
  /**
   * Where the discount code form posts; absent or null hides it (a transaction that can no longer change, or a
   * page that is not a purchase).
   */
  discount_action?: string | null;
  /** Errors from the previous try; empty on first display. */
  errors: CheckoutError[];
  /** Show the sandbox test-card hint under the form. */
  show_test_card_hint: boolean;
  /** The button's text; "Pay {amount_due}" when absent (e.g. "Save card" for a payment-method update). */
  submit_label?: string;
}

export interface ChallengePageVm {
  seller_name: string;
  lang?: string;
  transaction_id: string;
  /** The amount being authenticated, formatted. */
  amount: string;
  /** e.g. "Visa ending in 0446". */
  card_description: string;
  /** POST targets of the two buttons. */
  complete_action: string;
  fail_action: string;
  /** Sent as the hidden field `attempt_key` by both forms when given. */
  attempt_key: string | null;
}

export interface PaidPageVm {
  seller_name: string;
  lang?: string;
  transaction_id: string;
  items: CheckoutItemVm[];
  /** `amount_due` is shown as "Amount paid". */
  totals: CheckoutTotalsVm;
  /** e.g. "Visa ending in 4242"; null when nothing was charged to a card. */
  card_description: string | null;
  customer_email: string | null;
  /** A link to the invoice PDF, when one is available. */
  invoice_url: string | null;
  /** Where "Return to {seller}" goes (the checkout's success URL); no link when null. */
  return_url: string | null;
}

export type CheckoutUnavailableReason = 'already_paid' | 'canceled' | 'not_found' | 'not_payable';

export interface CheckoutUnavailablePageVm {
  /** Null when the transaction is not known (the header then reads "Paddock"). */
  seller_name: string | null;
  lang?: string;
  reason: CheckoutUnavailableReason;
  transaction_id: string | null;
}

// ---- Countries ------------------------------------------------------------------------------------------

/** The countries Paddle sells to (spec: `country_code_supported`). */
export const CHECKOUT_COUNTRY_CODES: readonly CountryCode[] = [
  'AD',
  'AE',
  'AG',
  'AI',
  'AL',
  'AM',
  'AO',
  'AR',
  'AS',
  'AT',
  'AU',
  'AW',
  'AX',
  'AZ',
  'BA',
  'BB',
  'BD',
  'BE',
  'BF',
  'BG',
  'BH',
  'BI',
  'BJ',
  'BL',
  'BM',
  'BN',
  'BO',
  'BQ',
  'BR',
  'BS',
  'BT',
  'BV',
  'BW',
  'BZ',
  'CA',
  'CC',
  'CG',
  'CH',
  'CI',
  'CK',
  'CL',
  'CM',
  'CN',
  'CO',
  'CR',
  'CV',
  'CW',
  'CX',
  'CY',
  'CZ',
  'DE',
  'DJ',
  'DK',
  'DM',
  'DO',
  'DZ',
  'EC',
  'EE',
  'EG',
  'EH',
  'ER',
  'ES',
  'ET',
  'FI',
  'FJ',
  'FK',
  'FM',
  'FO',
  'FR',
  'GA',
  'GB',
  'GD',
  'GE',
  'GF',
  'GG',
  'GH',
  'GI',
  'GL',
  'GM',
  'GN',
  'GP',
  'GQ',
  'GR',
  'GS',
  'GT',
  'GU',
  'GW',
  'GY',
  'HK',
  'HM',
  'HN',
  'HR',
  'HU',
  'ID',
  'IE',
  'IL',
  'IM',
  'IN',
  'IO',
  'IQ',
  'IS',
  'IT',
  'JE',
  'JM',
  'JO',
  'JP',
  'KE',
  'KG',
  'KH',
  'KI',
  'KM',
  'KN',
  'KR',
  'KW',
  'KY',
  'KZ',
  'LA',
  'LB',
  'LC',
  'LI',
  'LK',
  'LR',
  'LS',
  'LT',
  'LU',
  'LV',
  'MA',
  'MC',
  'MD',
  'ME',
  'MF',
  'MG',
  'MH',
  'MK',
  'MN',
  'MO',
  'MP',
  'MQ',
  'MR',
  'MS',
  'MT',
  'MU',
  'MV',
  'MW',
  'MX',
  'MY',
  'MZ',
  'NA',
  'NC',
  'NE',
  'NF',
  'NG',
  'NL',
  'NO',
  'NP',
  'NR',
  'NU',
  'NZ',
  'OM',
  'PA',
  'PE',
  'PF',
  'PG',
  'PH',
  'PK',
  'PL',
  'PM',
  'PN',
  'PR',
  'PS',
  'PT',
  'PW',
  'PY',
  'QA',
  'RE',
  'RO',
  'RS',
  'RW',
  'SA',
  'SB',
  'SC',
  'SE',
  'SG',
  'SH',
  'SI',
  'SJ',
  'SK',
  'SL',
  'SM',
  'SN',
  'SR',
  'ST',
  'SV',
  'SX',
  'SZ',
  'TC',
  'TD',
  'TF',
  'TG',
  'TH',
  'TJ',
  'TK',
  'TL',
  'TM',
  'TN',
  'TO',
  'TR',
  'TT',
  'TV',
  'TW',
  'TZ',
  'UA',
  'UG',
  'UM',
  'US',
  'UY',
  'UZ',
  'VA',
  'VC',
  'VG',
  'VI',
  'VN',
  'VU',
  'WF',
  'WS',
  'XK',
  'YT',
  'ZA',
  'ZM',
];

const countryLists = new Map<string, Array<{ code: string; name: string }>>();

/** The supported countries with their names in `lang`, sorted by name. */
export function checkoutCountries(lang: string): Array<{ code: string; name: string }> {
  let list = countryLists.get(lang);
  if (!list) {
    let names: Intl.DisplayNames;
    try {
      names = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
    } catch {
      names = new Intl.DisplayNames(['en'], { type: 'region' });
    }
    const collator = new Intl.Collator([lang, 'en'].filter((tag) => Intl.Collator.supportedLocalesOf(tag).length > 0));
    list = CHECKOUT_COUNTRY_CODES.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) =>
      collator.compare(a.name, b.name),
    );
    countryLists.set(lang, list);
  }
  return list;
}

// ---- Pieces ---------------------------------------------------------------------------------------------

function renderSummary(items: CheckoutItemVm[], totals: CheckoutTotalsVm, dueLabel: string): SafeHtml {
  const rows = items.map(
    (item) => html`<tr>
<th scope="row"><span class="item-name">${item.product_name}</span>${item.price_description ? html`<span class="item-detail">${item.price_description}</span>` : null}</th>
<td class="num">${item.quantity}</td>
<td class="num">${item.line_total}</td>
</tr>`,
  );
  const line = (label: string, amount: string, className?: string) =>
    html`<tr${className ? html` class="${className}"` : null}><th scope="row" colspan="2">${label}</th><td class="num">${amount}</td></tr>`;
  return html`<table class="summary">
<caption class="visually-hidden">Items and totals</caption>
<thead><tr><th scope="col">Item</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot>
${line('Subtotal', totals.subtotal)}
${totals.discount ? line('Discount', totals.discount) : null}
${totals.taxes.map((tax) => line(tax.label, tax.amount))}
${line('Total', totals.total, 'total')}
${totals.credit ? line('Credit applied', totals.credit) : null}
${line(dueLabel, totals.amount_due, 'due')}
</tfoot>
</table>`;
}

const fieldId = (field: CheckoutField) => `checkout-${field.replaceAll('_', '-')}`;

/** A text input of the checkout form. */
function input(spec: FieldSpec<CheckoutField>, value: string, error: string | undefined): SafeHtml {
  return inputField(fieldId(spec.name), spec, value, error);
}

function countryField(lang: string, selected: string, error: string | undefined): SafeHtml {
  const options = checkoutCountries(lang).map(
    (country) =>
      html`<option value="${country.code}"${country.code === selected ? html` selected` : null}>${country.name}</option>`,
  );
  const spec: FieldSpec<CheckoutField> = { name: 'country_code', label: 'Country', autocomplete: 'country' };
  return fieldFrame(
    fieldId(spec.name),
    spec,
    error,
    (attributes) => html`<select ${attributes} autocomplete="country" required>
<option value=""${selected === '' ? html` selected` : null}>Choose your country</option>
${options}
</select>`,
  );
}

/** The discount code form under the order summary: one labelled field and its own button. */
function renderDiscountForm(action: string, value: string, error: string | undefined): SafeHtml {
  const spec: FieldSpec<CheckoutField> = {
    name: 'discount_code',
    label: 'Discount code',
    autocomplete: 'off',
    maxlength: 32,
    required: false,
  };
  return html`<form method="post" action="${action}" class="discount-form" novalidate>
${input(spec, value, error)}
<button type="submit" class="button button-secondary">Apply code</button>
</form>`;
}

// ---- Pages ------------------------------------------------------------------------------------------------

/** The checkout: order summary, and one form with the customer fields (when needed) and the card fields. */
export function renderCheckoutPage(vm: CheckoutPageVm): string {
  const lang = vm.lang ?? 'en';
  const errorFor = (field: CheckoutField) => vm.errors.find((error) => error.field === field)?.message;
  const customerFields = [
    vm.ask_email
      ? input(
          { name: 'email', label: 'Email address', type: 'email', autocomplete: 'email' },
          vm.values.email ?? '',
          errorFor('email'),
        )
      : null,
    vm.ask_address ? countryField(lang, vm.values.country_code ?? '', errorFor('country_code')) : null,
    vm.ask_address
      ? input(
          {
            name: 'postal_code',
            label: 'Postal code',
            autocomplete: 'postal-code',
            required: false,
            hint: 'Needed in some countries, such as the United States.',
          },
          vm.values.postal_code ?? '',
          errorFor('postal_code'),
        )
      : null,
  ];
  const body = html`<h1>Checkout</h1>
${errorSummary('Your payment was not completed.', vm.errors, fieldId)}
<div class="columns">
<section class="panel" aria-labelledby="summary-heading">
<h2 id="summary-heading">Order summary</h2>
${renderSummary(vm.items, vm.totals, 'Amount due')}
${vm.discount_action ? renderDiscountForm(vm.discount_action, vm.values.discount_code ?? '', errorFor('discount_code')) : null}
</section>
<section class="panel" aria-labelledby="payment-heading">
<h2 id="payment-heading">Payment</h2>
${vm.customer_email ? html`<p>Paying as <strong>${vm.customer_email}</strong></p>` : null}
<form method="post" action="${vm.action}" novalidate>
<input type="hidden" name="attempt_key" value="${vm.attempt_key}">
${vm.ask_email || vm.ask_address ? html`<fieldset><legend>Your details</legend>${customerFields}</fieldset>` : null}
<fieldset>
<legend>Card details</legend>
${CARD_FIELDS.map((spec) => input(spec, '', errorFor(spec.name)))}
<div class="field-row">${EXPIRY_FIELDS.map((spec) => input(spec, '', errorFor(spec.name)))}</div>
${input(CVC_FIELD, '', errorFor('cvc'))}
</fieldset>
<button type="submit" class="button button-block">${vm.submit_label ?? `Pay ${vm.totals.amount_due}`}</button>
</form>
${
  vm.show_test_card_hint
    ? html`<p class="sandbox-note">Sandbox: no real card is charged. Pay with test card <code>4242 4242 4242 4242</code>, any future expiry date and CVC <code>100</code>.</p>`
    : null
}
</section>
</div>`;
  return renderPage({ title: 'Checkout', body, lang, brand: vm.seller_name });
}

/** The simulated 3-D Secure challenge: one form per answer. */
export function renderChallengePage(vm: ChallengePageVm): string {
  const hidden = vm.attempt_key ? html`<input type="hidden" name="attempt_key" value="${vm.attempt_key}">` : null;
  const body = html`<h1>Confirm your payment</h1>
<div class="panel">
<p>Your bank asks you to confirm the payment of <strong>${vm.amount}</strong> to ${vm.seller_name} with your ${vm.card_description}.</p>
<div class="message message-notice" role="note"><p>This is a sandbox simulation of 3-D Secure.</p><span>No bank is contacted. Choose how the authentication ends.</span></div>
<div class="actions">
<form method="post" action="${vm.complete_action}">${hidden}<button type="submit" class="button">Complete authentication</button></form>
<form method="post" action="${vm.fail_action}">${hidden}<button type="submit" class="button button-secondary">Fail authentication</button></form>
</div>
</div>`;
  return renderPage({ title: 'Confirm your payment', body, lang: vm.lang, brand: vm.seller_name });
}

/** The thank-you page after a successful payment. */
export function renderPaidPage(vm: PaidPageVm): string {
  const body = html`<h1>Thank you, your payment is complete</h1>
<div class="columns">
<section class="panel" aria-labelledby="paid-heading">
<h2 id="paid-heading">Payment details</h2>
<dl class="details">
<dt>Amount paid</dt><dd>${vm.totals.amount_due}</dd>
${vm.card_description ? html`<dt>Paid with</dt><dd>${vm.card_description}</dd>` : null}
${vm.customer_email ? html`<dt>Email</dt><dd>${vm.customer_email}</dd>` : null}
<dt>Transaction ID</dt><dd><code>${vm.transaction_id}</code></dd>
</dl>
${
  vm.invoice_url || vm.return_url
    ? html`<div class="actions">
${vm.invoice_url ? html`<a class="button button-secondary" href="${vm.invoice_url}">Download invoice (PDF)</a>` : null}
${vm.return_url ? html`<a class="button" href="${vm.return_url}">Return to ${vm.seller_name}</a>` : null}
</div>`
    : null
}
</section>
<section class="panel" aria-labelledby="summary-heading">
<h2 id="summary-heading">What you paid for</h2>
${renderSummary(vm.items, vm.totals, 'Amount paid')}
</section>
</div>`;
  return renderPage({ title: 'Payment complete', body, lang: vm.lang, brand: vm.seller_name });
}

const UNAVAILABLE: Record<CheckoutUnavailableReason, { title: string; sentence: string }> = {
  already_paid: {
    title: 'This checkout is already paid',
    sentence: 'This transaction has been paid, so there is nothing more to pay.',
  },
  canceled: {
    title: 'This checkout was canceled',
    sentence: 'This transaction was canceled, so it can no longer be paid. Ask the seller for a new payment link.',
  },
  not_found: {
    title: 'Checkout not found',
    sentence: 'There is no checkout at this address. Check the link you followed, or ask the seller for a new one.',
  },
  not_payable: {
    title: 'This checkout cannot be paid',
    sentence: 'This transaction cannot be paid by card here. Contact the seller to find out how to pay it.',
  },
};

/** Already paid, canceled, unknown or not payable by checkout: one clear sentence, no form. */
export function renderCheckoutUnavailablePage(vm: CheckoutUnavailablePageVm): string {
  const text = UNAVAILABLE[vm.reason];
  const body = html`<h1>${text.title}</h1>
<div class="panel">
<p>${text.sentence}</p>
${vm.transaction_id ? html`<p class="muted">Transaction ID: <code>${vm.transaction_id}</code></p>` : null}
</div>`;
  return renderPage({ title: text.title, body, lang: vm.lang, brand: vm.seller_name ?? undefined });
}
