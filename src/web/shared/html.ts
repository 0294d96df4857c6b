// HTML built from template literals. Every interpolated value is escaped unless it is already a `SafeHtml`
// fragment (made by `html` itself or, for text known to be markup, by `trustedHtml`). Attribute values must
// be written in double quotes in templates: escaping covers `"` and `'` but an unquoted attribute is unsafe.

declare const safeHtmlBrand: unique symbol;

/** A fragment of markup that may be inserted as is. Only `html` and `trustedHtml` make one. */
export interface SafeHtml {
  readonly [safeHtmlBrand]: true;
  /** The markup. */
  readonly html: string;
  toString(): string;
}

/** What may stand in a `${…}` slot: text (escaped), numbers, safe fragments, lists of those, or nothing. */
export type HtmlValue = string | number | bigint | SafeHtml | null | undefined | false | readonly HtmlValue[];

class Fragment {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in element content or in a double-quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** Marks markup written by Paddock itself (never user or seller input) as safe to insert. */
export function trustedHtml(markup: string): SafeHtml {
  return new Fragment(markup) as unknown as SafeHtml;
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return value instanceof Fragment;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number' || typeof value === 'bigint') return escapeHtml(String(value));
  if (value instanceof Fragment) return value.html;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  // @NOTE a plain object or `true` here is a bug in a template; printing "[object Object]" would hide it.
  throw new TypeError(`Cannot put a ${typeof value} into HTML`);
}

/** The tagged template: html`<p>${name}</p>` escapes `name`; nested html`` fragments are kept as markup. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i += 1) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return trustedHtml(out);
}
