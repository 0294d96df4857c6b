// The customer portal's pages, rendered from view models of display strings. Plain HTML forms (POST, each with
// the session's CSRF token), a label on every field, a visible name on every button, no JavaScript.
import {
  CARD_FIELDS,
  CVC_FIELD,
  EXPIRY_FIELDS,
  errorSummary,
  inputField,
  type CardField,
  type FieldSpec,
} from '../shared/fields.js';
import { html, type SafeHtml } from '../shared/html.js';
import { renderMessageBox, renderPage, type Flash } from '../shared/layout.js';

export type { CardField } from '../shared/fields.js';

/** Element ids of the new-card form (the checkout's are `checkout-…`). */
const fieldId = (field: CardField) => `card-${field.replaceAll('_', '-')}`;

function cardField(spec: FieldSpec<CardField>, value: string, error: string | undefined): SafeHtml {
  return inputField(fieldId(spec.name), spec, value, error);
}

// ---- View models ----------------------------------------------------------------------------------------

export interface PortalFrameVm {
  seller_name: string;
  lang?: string;
  /** The signed-in customer's email; null on the pages before sign-in. */
  customer_email: string | null;
  /** The overview's address. */
  overview_url: string;
  /** Where "Sign out" posts, with the CSRF token it needs; null before sign-in. */
  sign_out: { action: string; csrf_token: string } | null;
  /** Shown as the sandbox banner. */
  sandbox: boolean;
  flash?: Flash | null;
}

export interface SubscriptionItemVm {
  product_name: string;
  /** The price's name, e.g. "Monthly plan"; empty when it has none. */
  price_name: string;
  quantity: number;
  /** e.g. "$10.00 / month"; null when the price is in another currency than the subscription. */
  price_label: string | null;
}

export interface SubscriptionVm {
  id: string;
  /** The products' names, e.g. "AeroEdit Pro". */
  title: string;
  status: string;
  /** e.g. "Active", "Past due". */
  status_label: string;
  items: SubscriptionItemVm[];
  /** e.g. "12 January 2027"; null when nothing more is billed. */
  next_billed_on: string | null;
  /** e.g. "Cancels on 12 January 2027"; null when nothing is scheduled. */
  scheduled_change: string | null;
  /** e.g. "Visa ending in 4242", "Paid by invoice". */
  payment_method: string;
  /** e.g. "Every month". */
  billing_cycle: string;
  started_on: string | null;
  canceled_on: string | null;
  paused_on: string | null;
  /** The subscription's own page. */
  url: string;
  /** Links to the cancel and update-payment-method pages; null when the subscription does not offer them. */
  cancel_url: string | null;
  update_payment_method_url: string | null;
}

export interface PaymentVm {
  /** e.g. "12 January 2027". */
  date: string;
  description: string;
  amount: string;
  status_label: string;
  invoice_number: string | null;
  invoice_url: string | null;
}

export interface OverviewPageVm extends PortalFrameVm {
  customer_name: string | null;
  subscriptions: SubscriptionVm[];
  payments: PaymentVm[];
}

export interface SubscriptionPageVm extends PortalFrameVm {
  subscription: SubscriptionVm;
  payments: PaymentVm[];
}

export type CancelState =
  | { kind: 'confirm'; action: string; csrf_token: string; ends_on: string | null }
  | { kind: 'scheduled'; cancels_on: string }
  | { kind: 'unavailable'; reason: string };

export interface CancelPageVm extends PortalFrameVm {
  subscription: SubscriptionVm;
  state: CancelState;
  /** A refusal from the last try (e.g. too close to the renewal). */
  error: string | null;
}

export interface PaymentMethodPageVm extends PortalFrameVm {
  subscription: SubscriptionVm;
  action: string;
  csrf_token: string;
  /** The transaction the card pays, and the form's one-time key (hidden fields). */
  transaction_id: string;
  attempt_key: string;
  /** Set for a past-due subscription: the overdue amount the new card pays now, e.g. "$12.00". */
  amount_due: string | null;
  errors: Array<{ field: CardField | null; message: string }>;
  values: { cardholder_name?: string };
}

export interface SignInPageVm extends PortalFrameVm {
  action: string;
  /** The page to come back to after signing in (sent back as hidden fields). */
  target: { action: string; subscription_id: string | null };
  email: string;
  error: string | null;
  /** Why the customer is asked to sign in (e.g. an expired link); null on a plain visit. */
  reason: string | null;
}

export interface CheckEmailPageVm extends PortalFrameVm {
  email: string;
  /** The sign-in page for the same destination, to ask again. */
  retry_url: string;
  expires_in_minutes: number;
  /** Where the code form posts; the email and destination go with it as hidden fields. */
  code_action: string;
  target: { action: string; subscription_id: string | null };
  /** Why the last code typed did not sign in; null on the first visit. */
  code_error: string | null;
}

/** The page an emailed link opens: it signs in only when its button is pressed (a POST). */
export interface ConfirmSignInPageVm extends PortalFrameVm {
  action: string;
  /** The link's token, sent back by the form. */
  token: string;
  target: { action: string; subscription_id: string | null };
  /** The address the link was sent to. */
  email: string;
}

// ---- Pieces ---------------------------------------------------------------------------------------------

function frame(vm: PortalFrameVm, body: SafeHtml): SafeHtml {
  const account = vm.customer_email
    ? html`<nav class="panel portal-bar" aria-label="Your account">
<p>Signed in as <strong>${vm.customer_email}</strong></p>
<div class="actions">
<a class="button button-secondary button-small" href="${vm.overview_url}">Overview</a>
${vm.sign_out ? html`<form method="post" action="${vm.sign_out.action}"><input type="hidden" name="csrf_token" value="${vm.sign_out.csrf_token}"><button type="submit" class="button button-secondary button-small">Sign out</button></form>` : null}
</div>
</nav>`
    : null;
  // @NOTE the flash goes under the account bar (the layout would put it above everything).
  const flash = vm.flash ? renderMessageBox(vm.flash) : null;
  const sandbox = vm.sandbox
    ? html`<p class="sandbox-note">Sandbox portal: test data only, no real payments.</p>`
    : null;
  return html`${account}${flash}${body}${sandbox}`;
}

function page(vm: PortalFrameVm, title: string, body: SafeHtml): string {
  return renderPage({ title, body: frame(vm, body), lang: vm.lang, brand: vm.seller_name });
}

const STATUS_TONE: Record<string, string> = {
  active: 'good',
  trialing: 'good',
  past_due: 'bad',
  paused: 'warning',
  canceled: 'neutral',
};

function statusBadge(subscription: SubscriptionVm): SafeHtml {
  return html`<span class="status-badge status-${STATUS_TONE[subscription.status] ?? 'neutral'}">${subscription.status_label}</span>`;
}

function subscriptionDetails(subscription: SubscriptionVm, withStatus = true): SafeHtml {
  return html`<dl class="details">
${withStatus ? html`<dt>Status</dt><dd>${statusBadge(subscription)}</dd>` : null}
${subscription.scheduled_change ? html`<dt>Scheduled</dt><dd>${subscription.scheduled_change}</dd>` : null}
<dt>Billed</dt><dd>${subscription.billing_cycle}</dd>
${subscription.next_billed_on ? html`<dt>Next payment</dt><dd>${subscription.next_billed_on}</dd>` : null}
${subscription.paused_on ? html`<dt>Paused on</dt><dd>${subscription.paused_on}</dd>` : null}
${subscription.canceled_on ? html`<dt>Canceled on</dt><dd>${subscription.canceled_on}</dd>` : null}
${subscription.started_on ? html`<dt>Started</dt><dd>${subscription.started_on}</dd>` : null}
<dt>Payment method</dt><dd>${subscription.payment_method}</dd>
</dl>`;
}

function itemsTable(subscription: SubscriptionVm): SafeHtml {
  const rows = subscription.items.map(
    (item) => html`<tr>
<th scope="row"><span class="item-name">${item.product_name}</span>${item.price_name ? html`<span class="item-detail">${item.price_name}</span>` : null}</th>
<td class="num">${item.quantity}</td>
<td class="num">${item.price_label ?? '—'}</td>
</tr>`,
  );
  return html`<table class="summary">
<caption class="visually-hidden">Items of ${subscription.title}</caption>
<thead><tr><th scope="col">Item</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Price</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

function subscriptionActions(subscription: SubscriptionVm, withOwnPage: boolean): SafeHtml | null {
  const links = [
    withOwnPage
      ? html`<a class="button button-secondary button-small" href="${subscription.url}">View subscription<span class="visually-hidden"> ${subscription.title}</span></a>`
      : null,
    subscription.update_payment_method_url
      ? html`<a class="button button-secondary button-small" href="${subscription.update_payment_method_url}">Update payment method<span class="visually-hidden"> for ${subscription.title}</span></a>`
      : null,
    subscription.cancel_url
      ? html`<a class="button button-secondary button-small" href="${subscription.cancel_url}">Cancel subscription<span class="visually-hidden"> ${subscription.title}</span></a>`
      : null,
  ].filter((link) => link !== null);
  return links.length > 0 ? html`<div class="actions">${links}</div>` : null;
}

function subscriptionCard(subscription: SubscriptionVm): SafeHtml {
  const headingId = `subscription-${subscription.id}`;
  return html`<article class="panel" aria-labelledby="${headingId}">
<div class="card-heading"><h3 id="${headingId}">${subscription.title}</h3>${statusBadge(subscription)}</div>
${subscriptionDetails(subscription, false)}
${itemsTable(subscription)}
${subscriptionActions(subscription, true)}
</article>`;
}

function paymentsTable(payments: PaymentVm[], caption: string): SafeHtml {
  if (payments.length === 0) return html`<p class="muted">No payments yet.</p>`;
  const rows = payments.map(
    (payment) => html`<tr>
<th scope="row"><span class="item-name">${payment.date}</span><span class="item-detail">${payment.description}</span></th>
<td>${payment.status_label}</td>
<td class="num">${payment.amount}</td>
<td class="num">${
      payment.invoice_url
        ? html`<a href="${payment.invoice_url}">Invoice<span class="visually-hidden"> ${payment.invoice_number ?? ''} (PDF)</span></a>`
        : html`<span class="muted">—</span>`
    }</td>
</tr>`,
  );
  return html`<table class="summary">
<caption class="visually-hidden">${caption}</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Status</th><th scope="col" class="num">Amount</th><th scope="col" class="num">Invoice</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** Where to land after signing in, as the hidden fields of a sign-in form. */
function targetFields(target: { action: string; subscription_id: string | null }): SafeHtml {
  return html`<input type="hidden" name="action" value="${target.action}">
${target.subscription_id ? html`<input type="hidden" name="subscription_id" value="${target.subscription_id}">` : null}`;
}

// ---- Pages ------------------------------------------------------------------------------------------------

/** Every subscription of the customer, and their recent payments. */
export function renderOverviewPage(vm: OverviewPageVm): string {
  const body = html`<h1>Your subscriptions and payments</h1>
${vm.customer_name ? html`<p class="muted">${vm.customer_name} · ${vm.customer_email}</p>` : null}
<div class="columns">
<section aria-labelledby="subscriptions-heading">
<h2 id="subscriptions-heading">Subscriptions</h2>
<div class="stack">
${vm.subscriptions.length === 0 ? html`<div class="panel"><p class="muted">You have no subscriptions.</p></div>` : vm.subscriptions.map(subscriptionCard)}
</div>
</section>
<section class="panel" aria-labelledby="payments-heading">
<h2 id="payments-heading">Payments</h2>
${paymentsTable(vm.payments, 'Your recent payments')}
</section>
</div>`;
  return page(vm, 'Your account', body);
}

/** One subscription: details, items, actions and its payments. */
export function renderSubscriptionPage(vm: SubscriptionPageVm): string {
  const s = vm.subscription;
  const body = html`<h1>${s.title}</h1>
<div class="columns">
<section class="panel" aria-labelledby="details-heading">
<h2 id="details-heading">Subscription details</h2>
${subscriptionDetails(s)}
${itemsTable(s)}
${subscriptionActions(s, false)}
</section>
<section class="panel" aria-labelledby="payments-heading">
<h2 id="payments-heading">Payments for this subscription</h2>
${paymentsTable(vm.payments, `Payments for ${s.title}`)}
</section>
</div>`;
  return page(vm, s.title, body);
}

/** Confirmation before canceling at the end of the billing period (or why it cannot be canceled here). */
export function renderCancelPage(vm: CancelPageVm): string {
  const s = vm.subscription;
  const error = vm.error ? renderMessageBox({ kind: 'error', message: vm.error }) : null;
  let content: SafeHtml;
  switch (vm.state.kind) {
    case 'confirm':
      content = html`<p>${
        vm.state.ends_on
          ? html`If you cancel, your subscription stays active until <strong>${vm.state.ends_on}</strong>, the end of the current billing period. It is not renewed after that, and you are not charged again.`
          : html`If you cancel, your subscription ends at the end of the current billing period and is not renewed.`
      }</p>
<div class="actions">
<form method="post" action="${vm.state.action}">
<input type="hidden" name="csrf_token" value="${vm.state.csrf_token}">
<button type="submit" class="button">Cancel subscription</button>
</form>
<a class="button button-secondary" href="${s.url}">Keep subscription</a>
</div>`;
      break;
    case 'scheduled':
      content = html`<div class="message message-notice" role="status"><p>This subscription is already scheduled to cancel on ${vm.state.cancels_on}.</p><span>It stays active until then. There is nothing more to do.</span></div>
<div class="actions"><a class="button button-secondary" href="${s.url}">Back to subscription</a></div>`;
      break;
    case 'unavailable':
      content = html`<div class="message message-notice" role="status"><p>${vm.state.reason}</p></div>
<div class="actions"><a class="button button-secondary" href="${s.url}">Back to subscription</a></div>`;
      break;
  }
  const body = html`<h1>Cancel ${s.title}</h1>
${error}
<div class="columns">
<section class="panel" aria-labelledby="cancel-heading">
<h2 id="cancel-heading">Cancel subscription</h2>
${content}
</section>
<section class="panel" aria-labelledby="details-heading">
<h2 id="details-heading">Subscription details</h2>
${subscriptionDetails(s)}
${itemsTable(s)}
</section>
</div>`;
  return page(vm, `Cancel ${s.title}`, body);
}

/** The new-card form (paying the overdue amount of a past-due subscription at the same time). */
export function renderPaymentMethodPage(vm: PaymentMethodPageVm): string {
  const s = vm.subscription;
  const errorFor = (field: CardField) => vm.errors.find((error) => error.field === field)?.message;
  const body = html`<h1>Update payment method</h1>
${errorSummary('Your card was not saved.', vm.errors, fieldId)}
<div class="columns">
<section class="panel" aria-labelledby="card-heading">
<h2 id="card-heading">New card for ${s.title}</h2>
<p>Current payment method: <strong>${s.payment_method}</strong></p>
${
  vm.amount_due
    ? html`<div class="message message-notice" role="note"><p>This subscription is past due.</p><span>Saving a new card also pays the overdue ${vm.amount_due} now.</span></div>`
    : html`<p class="muted">You are not charged now. Your next payments are taken from the new card.</p>`
}
<form method="post" action="${vm.action}" novalidate>
<input type="hidden" name="csrf_token" value="${vm.csrf_token}">
<input type="hidden" name="transaction_id" value="${vm.transaction_id}">
<input type="hidden" name="attempt_key" value="${vm.attempt_key}">
<fieldset>
<legend>Card details</legend>
${CARD_FIELDS.map((spec) => cardField(spec, spec.name === 'cardholder_name' ? (vm.values.cardholder_name ?? '') : '', errorFor(spec.name)))}
<div class="field-row">${EXPIRY_FIELDS.map((spec) => cardField(spec, '', errorFor(spec.name)))}</div>
${cardField(CVC_FIELD, '', errorFor('cvc'))}
</fieldset>
<button type="submit" class="button button-block">${vm.amount_due ? `Pay ${vm.amount_due} and save card` : 'Save card'}</button>
</form>
${vm.sandbox ? html`<p class="sandbox-note">Sandbox: use test card <code>4242 4242 4242 4242</code>, any future expiry date and CVC <code>100</code>.</p>` : null}
<div class="actions"><a href="${s.url}">Back to subscription</a></div>
</section>
<section class="panel" aria-labelledby="details-heading">
<h2 id="details-heading">Subscription details</h2>
${subscriptionDetails(s)}
${itemsTable(s)}
</section>
</div>`;
  return page(vm, 'Update payment method', body);
}

/** Sign in by email: the portal sends a link; the answer is the same whether or not the address is known. */
export function renderSignInPage(vm: SignInPageVm): string {
  const errorId = vm.error ? 'sign-in-email-error' : null;
  const body = html`<h1>Sign in to manage your subscriptions</h1>
${vm.reason ? html`<div class="message message-notice" role="status"><p>${vm.reason}</p></div>` : null}
<section class="panel" aria-labelledby="sign-in-heading">
<h2 id="sign-in-heading">Get a sign-in link</h2>
<p>Enter the email address you used to buy from ${vm.seller_name}. We will email you a link and a code that sign you in.</p>
<form method="post" action="${vm.action}" novalidate>
${targetFields(vm.target)}
<div class="field">
<label for="sign-in-email">Email address</label>
${vm.error ? html`<span class="field-error" id="${errorId}">${vm.error}</span>` : null}
<input id="sign-in-email" name="email" type="email" autocomplete="email" spellcheck="false" value="${vm.email}"${vm.error ? html` aria-invalid="true" aria-describedby="${errorId}"` : null} required>
</div>
<button type="submit" class="button">Email me a sign-in link</button>
</form>
</section>`;
  return page(vm, 'Sign in', body);
}

/** After asking for an email: where it went, and the form to type the code it carries. */
export function renderCheckEmailPage(vm: CheckEmailPageVm): string {
  const errorId = vm.code_error ? 'sign-in-code-error' : null;
  const body = html`<h1>Check your email</h1>
<section class="panel" aria-labelledby="code-heading">
<p>If <strong>${vm.email}</strong> belongs to a customer of ${vm.seller_name}, we have sent a sign-in link and a 6-digit code to it.</p>
<p>Open the link, or enter the code below. Both work once, for ${vm.expires_in_minutes} minutes. If nothing arrives, check your spam folder or <a href="${vm.retry_url}">request a new code</a>.</p>
<h2 id="code-heading">Enter your code</h2>
<form method="post" action="${vm.code_action}" novalidate>
<input type="hidden" name="email" value="${vm.email}">
${targetFields(vm.target)}
<div class="field">
<label for="sign-in-code">Sign-in code</label>
${vm.code_error ? html`<span class="field-error" id="${errorId}">${vm.code_error}</span>` : null}
<input id="sign-in-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="7" spellcheck="false"${vm.code_error ? html` aria-invalid="true" aria-describedby="${errorId}"` : null} required>
</div>
<button type="submit" class="button">Sign in</button>
</form>
</section>`;
  return page(vm, 'Check your email', body);
}

/** What an emailed link opens: nothing happens until the customer presses "Sign in" (mail scanners only GET). */
export function renderConfirmSignInPage(vm: ConfirmSignInPageVm): string {
  const body = html`<h1>Sign in to manage your subscriptions</h1>
<section class="panel" aria-labelledby="confirm-heading">
<h2 id="confirm-heading">Continue to your account</h2>
<p>You are signing in as <strong>${vm.email}</strong> to the ${vm.seller_name} customer portal.</p>
<form method="post" action="${vm.action}">
<input type="hidden" name="token" value="${vm.token}">
${targetFields(vm.target)}
<button type="submit" class="button">Sign in</button>
</form>
<p class="muted">This link works once. If you didn't ask to sign in, close this page.</p>
</section>`;
  return page(vm, 'Sign in', body);
}

export function renderNotFoundPage(vm: Omit<PortalFrameVm, 'seller_name'> & { seller_name: string | null }): string {
  const body = html`<h1>Page not found</h1>
<section class="panel">
<p>There is nothing to show at this address. Check the link you followed, or ask the seller for a new one.</p>
${vm.customer_email ? html`<p><a href="${vm.overview_url}">Go to your subscriptions</a></p>` : null}
</section>`;
  return renderPage({
    title: 'Page not found',
    body: vm.seller_name ? frame({ ...vm, seller_name: vm.seller_name }, body) : body,
    lang: vm.lang,
    brand: vm.seller_name ?? undefined,
  });
}

/** A form posted without a valid session or CSRF token (e.g. after signing out, or from another site). */
export function renderFormExpiredPage(vm: PortalFrameVm): string {
  const body = html`<h1>This form has expired</h1>
<section class="panel">
<p>Nothing was changed. Go back to <a href="${vm.overview_url}">your subscriptions</a> and try again.</p>
</section>`;
  return page(vm, 'Form expired', body);
}
