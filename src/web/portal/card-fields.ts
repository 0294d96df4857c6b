// The card fields of the portal's new-card form: the same names, labels and autocomplete tokens as the hosted
// checkout's, so one parser (billing/test-cards parseCardInput) reads both forms. Hint and error sit between the
// label and the control, and the control points at them with aria-describedby.
import { html, type SafeHtml } from '../shared/html.js';

export type CardField = 'cardholder_name' | 'number' | 'expiry_month' | 'expiry_year' | 'cvc';

export const fieldId = (field: CardField) => `card-${field.replaceAll('_', '-')}`;

interface CardFieldSpec {
  name: CardField;
  label: string;
  autocomplete: string;
  numeric?: boolean;
  maxlength?: number;
  short?: boolean;
  hint?: string;
}

export const CARD_FIELDS: CardFieldSpec[] = [
  { name: 'cardholder_name', label: 'Name on card', autocomplete: 'cc-name' },
  { name: 'number', label: 'Card number', autocomplete: 'cc-number', numeric: true, maxlength: 23 },
];
export const EXPIRY_FIELDS: CardFieldSpec[] = [
  { name: 'expiry_month', label: 'Expiry month (MM)', autocomplete: 'cc-exp-month', numeric: true, maxlength: 2, short: true },
  { name: 'expiry_year', label: 'Expiry year (YY)', autocomplete: 'cc-exp-year', numeric: true, maxlength: 4, short: true },
];
export const CVC_FIELD: CardFieldSpec = {
  name: 'cvc',
  label: 'Security code (CVC)',
  autocomplete: 'cc-csc',
  numeric: true,
  maxlength: 4,
  short: true,
  hint: '3 digits on the back of the card (4 on the front for American Express).',
};

export function cardField(spec: CardFieldSpec, value: string, error: string | undefined): SafeHtml {
  const id = fieldId(spec.name);
  const hintId = spec.hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const describedBy = [hintId, errorId].filter((x): x is string => x !== null);
  return html`<div class="field">
<label for="${id}">${spec.label}</label>
${spec.hint ? html`<span class="hint" id="${hintId}">${spec.hint}</span>` : null}
${error ? html`<span class="field-error" id="${errorId}">${error}</span>` : null}
<input id="${id}" name="${spec.name}" type="text" autocomplete="${spec.autocomplete}"${spec.numeric ? html` inputmode="numeric" spellcheck="false"` : null}${spec.maxlength ? html` maxlength="${spec.maxlength}"` : null}${spec.short ? html` class="short"` : null}${describedBy.length > 0 ? html` aria-describedby="${describedBy.join(' ')}"` : null}${error ? html` aria-invalid="true"` : null} value="${value}" required>
</div>`;
}
