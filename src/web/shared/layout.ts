// The page shell every server-rendered page shares: document head, a header naming the seller (or portal),
// an optional flash message and one <main> landmark. No JavaScript: every page works with plain forms.
import { html, type SafeHtml } from './html.js';

export const STYLESHEET_HREF = '/assets/paddock.css';

export interface Flash {
  /** `error` is announced at once (role="alert"); `notice` politely (role="status"). */
  kind: 'error' | 'notice';
  message: string;
}

export interface PageOptions {
  /** The page's own title; the document title is "{title} · {brand}". */
  title: string;
  body: SafeHtml;
  /** BCP 47 language tag of the page; "en" when absent. */
  lang?: string;
  flash?: Flash | null;
  /** The seller's or portal's name shown in the header; "Paddock" when absent. */
  brand?: string;
}

/** A message box; `renderPage` uses it for the flash, and views use it for form errors. */
export function renderMessageBox(flash: Flash, extra?: SafeHtml): SafeHtml {
  const role = flash.kind === 'error' ? 'alert' : 'status';
  return html`<div class="message message-${flash.kind}" role="${role}"><p>${flash.message}</p>${extra}</div>`;
}

/** A complete HTML document. */
export function renderPage(options: PageOptions): string {
  const brand = options.brand ?? 'Paddock';
  const page = html`<!doctype html>
<html lang="${options.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${options.title} · ${brand}</title>
<link rel="stylesheet" href="${STYLESHEET_HREF}">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><div class="container"><p class="brand">${brand}</p></div></header>
<main id="main" class="container" tabindex="-1">
${options.flash ? renderMessageBox(options.flash) : null}
${options.body}
</main>
</body>
</html>
`;
  return page.html;
}
