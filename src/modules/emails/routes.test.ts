// Emails: every one is kept for `GET /test-helpers/emails[?to=]` (newest first, per seller environment, sandbox
// keys only); portal sign-in emails are limited per address; with SMTP_URL they also go to the SMTP server.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { forEachDialect, useTestApp, type TestApp } from '../../../test/support/app.js';
import { aCustomer } from '../../../test/support/builders.js';
import { assertPaddleError } from '../../../test/support/contract.js';
import { freePort } from '../../main.js';
import { advanceClock, portalRow } from '../../../test/support/portal.js';

/** A minimal SMTP server that accepts every message and keeps its raw text. */
function fakeSmtpServer(): { server: Server; messages: Array<{ from: string; to: string; data: string }> } {
  const messages: Array<{ from: string; to: string; data: string }> = [];
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.write('220 smtp.paddock.test ESMTP\r\n');
    let buffer = '';
    let envelope = { from: '', to: '' };
    let data: string | null = null;
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data !== null) {
          if (line === '.') {
            messages.push({ ...envelope, data });
            data = null;
            socket.write('250 2.0.0 queued\r\n');
          } else data += `${line.startsWith('..') ? line.slice(1) : line}\r\n`;
          continue;
        }
        const command = line.slice(0, 4).toUpperCase();
        if (command === 'EHLO') socket.write('250-smtp.paddock.test\r\n250 8BITMIME\r\n');
        else if (command === 'HELO') socket.write('250 smtp.paddock.test\r\n');
        else if (command === 'MAIL') {
          envelope = { from: line.slice(10), to: '' };
          socket.write('250 OK\r\n');
        } else if (command === 'RCPT') {
          envelope.to = line.slice(8);
          socket.write('250 OK\r\n');
        } else if (command === 'DATA') {
          data = '';
          socket.write('354 go ahead\r\n');
        } else if (command === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
  });
  return { server, messages };
}

async function until<T>(what: () => Promise<T | undefined> | T | undefined, description: string): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const value = await what();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${description}`);
}

/** Posts the portal's sign-in form as a browser would. */
async function askForLink(
  t: TestApp,
  email: string,
  options: { environment?: 'sandbox' | 'live'; sellerId?: string } = {},
) {
  const environment = options.environment ?? 'sandbox';
  const { portal_id: cpl } = await portalRow(t, environment, options.sellerId);
  const prefix = environment === 'sandbox' ? '/sandbox-customer-portal' : '/customer-portal';
  const res = await t.request('POST', `${prefix}/${cpl}/sign-in`, {
    key: null,
    body: new URLSearchParams({ email, action: 'overview' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(res.status, 200, res.text);
  assert.match(res.text, /Check your email/);
}

const smtpPort = await freePort('127.0.0.1');
/** A port nothing listens on. */
let closedPort = await freePort('127.0.0.1');
while (closedPort === smtpPort) closedPort = await freePort('127.0.0.1');

await forEachDialect((dialect) => {
  describe('test helper', () => {
    const t = useTestApp(dialect);
    const list = (query = '', key?: string) => t().request('GET', `/test-helpers/emails${query}`, key ? { key } : {});

    it('lists the emails sent, newest first, with to, subject, text, html and sent_at', async () => {
      const first = await aCustomer(t());
      const second = await aCustomer(t());
      await askForLink(t(), first.email);
      await askForLink(t(), second.email);
      const res = await list();
      assert.equal(res.status, 200);
      const [newest, older] = res.body.data;
      assert.deepEqual(Object.keys(newest).sort(), ['html', 'sent_at', 'subject', 'text', 'to']);
      assert.equal(newest.to, second.email);
      assert.equal(older.to, first.email);
      assert.ok(newest.sent_at >= older.sent_at);
      assert.match(newest.sent_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
      assert.match(newest.text, /\/sandbox-customer-portal\/cpl_[a-z\d]{26}\?action=overview&token=pga_/);
      assert.match(newest.html, /^<!doctype html>/);
      assert.match(res.body.meta.request_id, /^[0-9a-f-]{36}$/);
    });

    it('filters by recipient, ignoring case', async () => {
      const customer = await aCustomer(t());
      await askForLink(t(), customer.email);
      const res = await list(`?to=${encodeURIComponent(customer.email.toUpperCase())}`);
      assert.deepEqual(
        res.body.data.map((email: { to: string }) => email.to),
        [customer.email],
      );
      assert.deepEqual((await list('?to=nobody%40example.com')).body.data, []);
      assertPaddleError(await list('?to='), 400, 'invalid_field');
    });

    it('shows only the key’s seller and environment; live keys are refused', async () => {
      const live = await aCustomer(t(), {}, t().keys.live);
      await askForLink(t(), live.email, { environment: 'live' });
      const other = await t().createSeller('sel_emails_other');
      const theirs = await aCustomer(t(), {}, other.sandbox);
      await askForLink(t(), theirs.email, { sellerId: 'sel_emails_other' });
      assert.deepEqual((await list(`?to=${encodeURIComponent(live.email)}`)).body.data, []);
      assert.deepEqual((await list(`?to=${encodeURIComponent(theirs.email)}`)).body.data, []);
      assert.equal((await list(`?to=${encodeURIComponent(theirs.email)}`, other.sandbox)).body.data.length, 1);
      assertPaddleError(await list('', t().keys.live), 403, 'forbidden');
      assertPaddleError(await t().request('GET', '/test-helpers/emails', { key: null }), 403, 'authentication_missing');
    });

    it('sends at most three sign-in emails to an address per 15 minutes, answering the same each time', async () => {
      const seller = await t().createSeller('sel_emails_limit');
      const customer = await aCustomer(t(), {}, seller.sandbox);
      for (let i = 0; i < 5; i += 1) await askForLink(t(), customer.email, { sellerId: 'sel_emails_limit' });
      const count = async () =>
        (await list(`?to=${encodeURIComponent(customer.email)}`, seller.sandbox)).body.data.length;
      assert.equal(await count(), 3);
      await advanceClock(t(), { by: 'PT15M1S' }, seller.sandbox);
      await askForLink(t(), customer.email, { sellerId: 'sel_emails_limit' });
      assert.equal(await count(), 4);
    });
  });

  describe('SMTP', () => {
    const smtp = fakeSmtpServer();
    before(() => new Promise<void>((resolve) => smtp.server.listen(smtpPort, '127.0.0.1', resolve)));
    after(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())));
    const t = useTestApp(dialect, { SMTP_URL: `smtp://127.0.0.1:${smtpPort}?from=billing%40paddock.test` });

    it('sends the kept email through SMTP_URL and records the delivery', async () => {
      const customer = await aCustomer(t());
      const before = smtp.messages.length;
      await askForLink(t(), customer.email);
      const message = await until(
        () => smtp.messages.slice(before).find((m) => m.to === `<${customer.email}>`),
        'the SMTP message',
      );
      assert.equal(message.from, '<billing@paddock.test>');
      const unfolded = message.data.replace(/\r\n[ \t]+/g, ' ');
      assert.match(unfolded, new RegExp(`^To: ${customer.email.replace(/[.+]/g, '\\$&')}\\r$`, 'm'));
      assert.match(unfolded, /^From: "?sel_default"? <billing@paddock\.test>\r$/m);
      assert.match(unfolded, /^Subject: Sign in to manage your sel_default subscriptions\r$/m);
      assert.match(unfolded, /multipart\/alternative/);
      const body = message.data.replace(/=\r\n/g, '').replace(/=3D/g, '=');
      const kept = (await t().request('GET', `/test-helpers/emails?to=${encodeURIComponent(customer.email)}`)).body
        .data[0];
      const link = /(http\S+token=pga_\S+)/.exec(kept.text)![1]!;
      assert.ok(body.includes(link), 'the SMTP message carries the same link');
      const row = await until(async () => {
        const found = await t()
          .db.selectFrom('emails')
          .selectAll()
          .where('to_key', '=', customer.email.toLowerCase())
          .executeTakeFirst();
        return found?.delivery === 'sent' ? found : undefined;
      }, 'delivery=sent');
      assert.equal(row.delivery_error, null);
    });
  });

  describe('SMTP server down', () => {
    const t = useTestApp(dialect, { SMTP_URL: `smtp://127.0.0.1:${closedPort}?from=billing%40paddock.test` });
    it('still keeps the email and answers the customer the same; the delivery is marked failed', async () => {
      const customer = await aCustomer(t());
      await askForLink(t(), customer.email);
      const kept = await t().request('GET', `/test-helpers/emails?to=${encodeURIComponent(customer.email)}`);
      assert.equal(kept.body.data.length, 1);
      const row = await until(async () => {
        const found = await t()
          .db.selectFrom('emails')
          .selectAll()
          .where('to_key', '=', customer.email.toLowerCase())
          .executeTakeFirst();
        return found?.delivery === 'failed' ? found : undefined;
      }, 'delivery=failed');
      assert.match(row.delivery_error ?? '', /ECONNREFUSED|connect/i);
    });
  });
});
