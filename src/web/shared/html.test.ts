import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, isSafeHtml, trustedHtml, type HtmlValue } from './html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&amp;</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });
  it('leaves other text alone, including non-ASCII', () => {
    assert.equal(escapeHtml('Crème brûlée — €12.00 / 日本'), 'Crème brûlée — €12.00 / 日本');
  });
});

describe('html', () => {
  it('escapes interpolated strings', () => {
    const name = '<script>alert(1)</script>';
    assert.equal(html`<p>${name}</p>`.html, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });
  it('escapes a value that tries to break out of an attribute', () => {
    const value = '" onfocus="alert(1)';
    assert.equal(html`<input value="${value}">`.html, '<input value="&quot; onfocus=&quot;alert(1)">');
  });
  it('prints numbers and bigints', () => {
    assert.equal(html`${3} × ${12345678901234567890n}`.html, '3 × 12345678901234567890');
  });
  it('keeps nested fragments as markup but escapes inside them', () => {
    const inner = html`<b>${'<i>'}</b>`;
    assert.equal(html`<p>${inner}</p>`.html, '<p><b>&lt;i&gt;</b></p>');
  });
  it('joins arrays of fragments, escaping plain strings in them', () => {
    const items = ['a&b', '<c>'].map((item) => html`<li>${item}</li>`);
    assert.equal(html`<ul>${items}</ul>`.html, '<ul><li>a&amp;b</li><li>&lt;c&gt;</li></ul>');
    assert.equal(html`${['<x>', html`<y>`]}`.html, '&lt;x&gt;<y>');
  });
  it('renders null, undefined and false as nothing (conditional fragments)', () => {
    const on = false as boolean;
    assert.equal(html`[${null}${undefined}${on && html`<b>on</b>`}]`.html, '[]');
  });
  it('treats trustedHtml as markup and reports SafeHtml values', () => {
    assert.equal(html`${trustedHtml('<hr>')}`.html, '<hr>');
    assert.ok(isSafeHtml(html`x`));
    assert.equal(isSafeHtml('<hr>'), false);
    assert.equal(String(html`<b>${'&'}</b>`), '<b>&amp;</b>');
  });
  it('refuses objects that are not fragments instead of printing [object Object]', () => {
    const value = { html: '<script>' } as unknown as HtmlValue;
    assert.throws(() => html`${value}`, TypeError);
  });
  it('does not treat a forged { html } object as safe', () => {
    assert.equal(isSafeHtml({ html: '<script>' }), false);
  });
});
