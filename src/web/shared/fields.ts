// Labelled form fields as the checkout and the portal render them: label, then hint, then error (all above the
// control, which points at them with aria-describedby), then the control. The card fields are defined here once,
// with the names billing/test-cards parseCardInput reads, so both card forms post the same body.
import { html, type SafeHtml } from './html.js';
import { renderMessageBox } from './layout.js';

export interface FieldSpec<N extends string = string> {
  name: N;
  label: string;
  type?: 'text' | 'email';
  autocomplete: string;
  numeric?: boolean;
  maxlength?: number;
  short?: boolean;
  /** False for a field some customers may leave empty (the checkout's postal code). */
  required?: boolean;
  hint?: string;
}

function describedBy(ids: Array<string | null>): SafeHtml | null {
  const present = ids.filter((id): id is string => id !== null);
  return present.length > 0 ? html` aria-describedby="${present.join(' ')}"` : null;
}

/** The label, hint and error of one field with the element id `id`; `control` draws the control from its attributes. */
export function fieldFrame(
  id: string,
  spec: FieldSpec,
  error: string | undefined,
  control: (attributes: SafeHtml) => SafeHtml,
): SafeHtml {
  const hintId = spec.hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const attributes = html`id="${id}" name="${spec.name}"${describedBy([hintId, errorId])}${error ? html` aria-invalid="true"` : null}`;
  return html`<div class="field">
<label for="${id}">${spec.label}</label>
${spec.hint ? html`<span class="hint" id="${hintId}">${spec.hint}</span>` : null}
${error ? html`<span class="field-error" id="${errorId}">${error}</span>` : null}
${control(attributes)}
</div>`;
}

export function inputField(id: string, spec: FieldSpec, value: string, error: string | undefined): SafeHtml {
  return fieldFrame(
    id,
    spec,
    error,
    (attributes) =>
      html`<input ${attributes} type="${spec.type ?? 'text'}" autocomplete="${spec.autocomplete}"${spec.numeric ? html` inputmode="numeric"` : null}${spec.maxlength ? html` maxlength="${spec.maxlength}"` : null}${spec.short ? html` class="short"` : null}${spec.type === 'email' || spec.numeric ? html` spellcheck="false"` : null} value="${value}"${spec.required === false ? null : html` required`}>`,
  );
}

/** The alert box above a form that was not accepted: `message`, then every error, each linked to its field. */
export function errorSummary<N extends string>(
  message: string,
  errors: ReadonlyArray<{ field: N | null; message: string }>,
  fieldId: (field: N) => string,
): SafeHtml | null {
  if (errors.length === 0) return null;
  const items = errors.map((error) =>
    error.field
      ? html`<li><a href="#${fieldId(error.field)}">${error.message}</a></li>`
      : html`<li>${error.message}</li>`,
  );
  return renderMessageBox({ kind: 'error', message }, html`<ul>${items}</ul>`);
}

export type CardField = 'cardholder_name' | 'number' | 'expiry_month' | 'expiry_year' | 'cvc';

export const CARD_FIELDS: ReadonlyArray<FieldSpec<CardField>> = [
  { name: 'cardholder_name', label: 'Name on card', autocomplete: 'cc-name' },
  { name: 'number', label: 'Card number', autocomplete: 'cc-number', numeric: true, maxlength: 23 },
];

export const EXPIRY_FIELDS: ReadonlyArray<FieldSpec<CardField>> = [
  {
    name: 'expiry_month',
    label: 'Expiry month (MM)',
    autocomplete: 'cc-exp-month',
    numeric: true,
    maxlength: 2,
    short: true,
  },
  {
    name: 'expiry_year',
    label: 'Expiry year (YY)',
    autocomplete: 'cc-exp-year',
    numeric: true,
    maxlength: 4,
    short: true,
  },
];

export const CVC_FIELD: FieldSpec<CardField> = {
  name: 'cvc',
  label: 'Security code (CVC)',
  autocomplete: 'cc-csc',
  numeric: true,
  maxlength: 4,
  short: true,
  hint: '3 digits on the back of the card (4 on the front for American Express).',
};

const CARD_FIELD_NAMES = new Set<string>([...CARD_FIELDS, ...EXPIRY_FIELDS, CVC_FIELD].map((spec) => spec.name));

export function isCardField(name: string): name is CardField {
  return CARD_FIELD_NAMES.has(name);
}
