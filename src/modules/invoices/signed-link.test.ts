import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from '../../kernel/time.js';
import {
  INVOICE_LINK_LIFETIME_SECONDS,
  invoiceLinkExpiry,
  signInvoiceLink,
  verifyInvoiceLink,
  type InvoiceLinkParts,
} from './signed-link.js';

const SECRET = 'psk_test_0123456789abcdef0123456789abcdef';
const ISSUED = Temporal.Instant.from('2026-11-24T12:00:00Z');
const PORTAL = 'cpl_01jd0000000000000000000000';
const TXN = 'txn_01hv8wptq8987qeep44cyrewp9';

function issue(overrides: { disposition?: 'attachment' | 'inline'; secret?: string; baseUrl?: string } = {}): string {
  return signInvoiceLink({
    baseUrl: overrides.baseUrl ?? 'https://billing.example.com',
    portalId: PORTAL,
    transactionId: TXN,
    disposition: overrides.disposition ?? 'attachment',
    expiresAt: invoiceLinkExpiry(ISSUED),
    secret: overrides.secret ?? SECRET,
  });
}

/** What a route handler would read from the request. */
function partsOf(link: string): InvoiceLinkParts {
  const url = new URL(link);
  const match = /^\/invoices\/([^/]+)\/([^/]+)\.pdf$/.exec(url.pathname);
  assert.ok(match, `unexpected path ${url.pathname}`);
  return {
    portalId: match[1]!,
    transactionId: match[2]!,
    disposition: url.searchParams.get('disposition') ?? '',
    expires: url.searchParams.get('expires') ?? '',
    signature: url.searchParams.get('signature') ?? '',
  };
}

const at = (seconds: number) => ISSUED.add({ seconds });

describe('signed invoice links', () => {
  it('has the documented shape', () => {
    const link = issue({ baseUrl: 'https://billing.example.com/' });
    const url = new URL(link);
    assert.equal(url.origin, 'https://billing.example.com');
    assert.equal(url.pathname, `/invoices/${PORTAL}/${TXN}.pdf`);
    assert.equal(url.searchParams.get('disposition'), 'attachment');
    assert.equal(url.searchParams.get('expires'), String(ISSUED.epochMilliseconds / 1000 + 3600));
    assert.match(url.searchParams.get('signature') ?? '', /^[0-9a-f]{64}$/);
    assert.equal(INVOICE_LINK_LIFETIME_SECONDS, 3600);
  });

  it('is valid from issue until the end of the hour, and expired one second after', () => {
    const parts = partsOf(issue());
    assert.equal(verifyInvoiceLink(parts, SECRET, ISSUED), 'ok');
    assert.equal(verifyInvoiceLink(parts, SECRET, at(1800)), 'ok');
    assert.equal(verifyInvoiceLink(parts, SECRET, at(3600)), 'ok');
    assert.equal(verifyInvoiceLink(parts, SECRET, at(3601)), 'expired');
    assert.equal(verifyInvoiceLink(parts, SECRET, at(86_400)), 'expired');
  });

  it('signs the disposition: both values verify, and they differ', () => {
    const inline = partsOf(issue({ disposition: 'inline' }));
    const attachment = partsOf(issue({ disposition: 'attachment' }));
    assert.equal(inline.disposition, 'inline');
    assert.equal(verifyInvoiceLink(inline, SECRET, ISSUED), 'ok');
    assert.notEqual(inline.signature, attachment.signature);
  });

  it('rejects a tampered transaction id', () => {
    const parts = partsOf(issue());
    assert.equal(
      verifyInvoiceLink({ ...parts, transactionId: 'txn_01hv8wptq8987qeep44cyrewp8' }, SECRET, ISSUED),
      'bad_signature',
    );
  });

  it('rejects a tampered portal id', () => {
    const parts = partsOf(issue());
    assert.equal(
      verifyInvoiceLink({ ...parts, portalId: 'cpl_01jd0000000000000000000001' }, SECRET, ISSUED),
      'bad_signature',
    );
  });

  it('rejects a tampered disposition', () => {
    const parts = partsOf(issue({ disposition: 'attachment' }));
    assert.equal(verifyInvoiceLink({ ...parts, disposition: 'inline' }, SECRET, ISSUED), 'bad_signature');
    assert.equal(verifyInvoiceLink({ ...parts, disposition: 'download' }, SECRET, ISSUED), 'bad_signature');
  });

  it('rejects an extended expiry as forged, not as valid or expired', () => {
    const parts = partsOf(issue());
    const later = String(Number(parts.expires) + 86_400);
    assert.equal(verifyInvoiceLink({ ...parts, expires: later }, SECRET, at(3601)), 'bad_signature');
    assert.equal(verifyInvoiceLink({ ...parts, expires: later }, SECRET, ISSUED), 'bad_signature');
  });

  it('rejects a tampered or malformed signature', () => {
    const parts = partsOf(issue());
    const flipped = (parts.signature[0] === 'a' ? 'b' : 'a') + parts.signature.slice(1);
    assert.equal(verifyInvoiceLink({ ...parts, signature: flipped }, SECRET, ISSUED), 'bad_signature');
    assert.equal(
      verifyInvoiceLink({ ...parts, signature: parts.signature.toUpperCase() }, SECRET, ISSUED),
      'bad_signature',
    );
    assert.equal(
      verifyInvoiceLink({ ...parts, signature: parts.signature.slice(0, 62) }, SECRET, ISSUED),
      'bad_signature',
    );
    assert.equal(verifyInvoiceLink({ ...parts, signature: '' }, SECRET, ISSUED), 'bad_signature');
  });

  it('rejects a link signed with another secret', () => {
    const parts = partsOf(issue({ secret: 'psk_other' }));
    assert.equal(verifyInvoiceLink(parts, SECRET, ISSUED), 'bad_signature');
    assert.equal(verifyInvoiceLink(parts, 'psk_other', ISSUED), 'ok');
  });

  it('never extends a sub-second expiry', () => {
    const link = signInvoiceLink({
      baseUrl: 'http://127.0.0.1:8080',
      portalId: PORTAL,
      transactionId: TXN,
      disposition: 'inline',
      expiresAt: Temporal.Instant.from('2026-11-24T13:00:00.900Z'),
      secret: SECRET,
    });
    const parts = partsOf(link);
    assert.equal(parts.expires, String(Temporal.Instant.from('2026-11-24T13:00:00Z').epochMilliseconds / 1000));
    assert.equal(verifyInvoiceLink(parts, SECRET, Temporal.Instant.from('2026-11-24T13:00:00.500Z')), 'expired');
  });

  it('refuses to sign ids that would change the path', () => {
    assert.throws(() =>
      signInvoiceLink({
        baseUrl: 'http://x',
        portalId: PORTAL,
        transactionId: '../txn_1',
        disposition: 'inline',
        expiresAt: ISSUED,
        secret: SECRET,
      }),
    );
  });
});
