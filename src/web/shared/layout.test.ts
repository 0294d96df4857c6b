import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html } from './html.js';
import { renderPage } from './layout.js';

describe('renderPage', () => {
  const page = renderPage({ title: 'Checkout <1>', body: html`<h1>Hello</h1>`, brand: 'Acme & "Sons"' });

  it('is a complete document: doctype, language, viewport, stylesheet, header and one main landmark', () => {
    assert.ok(page.startsWith('<!doctype html>\n<html lang="en">'));
    assert.match(page, /<meta charset="utf-8">/);
    assert.match(page, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.match(page, /<link rel="stylesheet" href="\/assets\/paddock.css">/);
    assert.equal(page.match(/<main\b/g)?.length, 1);
    assert.match(page, /<main id="main"[^>]*>\s*<h1>Hello<\/h1>/);
    assert.doesNotMatch(page, /<script/);
  });

  it('escapes the title and the brand', () => {
    assert.match(page, /<title>Checkout &lt;1&gt; · Acme &amp; &quot;Sons&quot;<\/title>/);
    assert.match(page, /<p class="brand">Acme &amp; &quot;Sons&quot;<\/p>/);
  });

  it('takes a language and defaults the brand to Paddock', () => {
    const german = renderPage({ title: 'Kasse', body: html``, lang: 'de' });
    assert.match(german, /<html lang="de">/);
    assert.match(german, /<p class="brand">Paddock<\/p>/);
  });

  it('shows an error flash as an alert and a notice as a status, escaped', () => {
    const error = renderPage({ title: 't', body: html``, flash: { kind: 'error', message: '<b>Nope</b>' } });
    assert.match(error, /<div class="message message-error" role="alert"><p>&lt;b&gt;Nope&lt;\/b&gt;<\/p><\/div>/);
    const notice = renderPage({ title: 't', body: html``, flash: { kind: 'notice', message: 'Saved.' } });
    assert.match(notice, /role="status"><p>Saved\.<\/p>/);
    assert.doesNotMatch(renderPage({ title: 't', body: html`` }), /role="(alert|status)"/);
  });
});
