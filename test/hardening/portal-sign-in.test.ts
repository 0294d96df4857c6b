// Portal sign-in by email (issue #12 items 8 and 9), over HTTP on both engines: an emailed link signs in once and
// only by the POST of its confirmation page (a scanner's GET uses nothing; two concurrent POSTs make one session);
// the email's 6-digit code signs in once, takes 5 wrong tries and then is dead, and expires on the tenant's clock;
// sign-in emails are limited per client as well as per address, code tries per client; an unknown address
// answers exactly like a known one; links, codes and client addresses are kept only hashed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDialect, startTestApp, useTestApp, type TestApp } from '../support/app.js';
import { aCustomer } from '../support/builders.js';
import { advanceClock, portalRow } from '../support/portal.js';
import { CODE_TRIES, SIGN_IN_LIMITS } from '../../src/modules/customer-portal/sign-in.js';

interface Seller {
  id: string;
  key: string;
  path: string;
}

await forEachDialect((dialect) => {
  const t = useTestApp(dialect);
  let sellers = 0;

  /** A seller of its own per test: the limits are per tenant, so tests do not use up each other's. */
  async function aSeller(): Promise<Seller> {
    sellers += 1;
    const id = `sel_sign_in_${dialect}_${sellers}`;
    const keys = await t().createSeller(id);
    const { portal_id: cpl } = await portalRow(t(), 'sandbox', id);
    return { id, key: keys.sandbox, path: `/sandbox-customer-portal/${cpl}` };
  }

  const open = (url: string) => t().app.inject({ method: 'GET', url });

  function post(url: string, form: Record<string, string>, options: { ip?: string; origin?: string } = {}) {
    return t().app.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(options.origin ? { origin: options.origin } : {}),
      },
      payload: new URLSearchParams(form).toString(),
      ...(options.ip ? { remoteAddress: options.ip } : {}),
    });
  }

  const askForEmail = (seller: Seller, email: string, ip?: string) =>
    post(`${seller.path}/sign-in`, { email, action: 'overview' }, { ip });

  const tryCode = (seller: Seller, email: string, code: string, ip?: string) =>
    post(`${seller.path}/sign-in/code`, { email, code, action: 'overview' }, { ip });

  async function emailsTo(app: TestApp, seller: Seller, address: string) {
    const res = await app.request('GET', `/test-helpers/emails?to=${encodeURIComponent(address)}`, {
      key: seller.key,
    });
    assert.equal(res.status, 200, res.text);
    return res.body.data as Array<{ text: string; html: string }>;
  }

  /** Asks for a sign-in email and reads its link (path and query) and code. */
  async function signInEmail(seller: Seller, address: string) {
    const asked = await askForEmail(seller, address);
    assert.equal(asked.statusCode, 200, asked.body);
    const [email] = await emailsTo(t(), seller, address);
    assert.ok(email);
    const link = /(http\S+token=pga_\S+)/.exec(email.text)?.[1];
    const code = /enter this code on the sign-in page: (\d{6})/.exec(email.text)?.[1];
    assert.ok(link && code, email.text);
    const url = new URL(link);
    return { link: `${url.pathname}${url.search}`, token: url.searchParams.get('token')!, code };
  }

  const sessionCount = async (sellerId: string) =>
    (await t().db.selectFrom('portal_sessions').select('id_hash').where('seller_id', '=', sellerId).execute()).length;

  const wrongCode = (code: string) => (code === '000000' ? '111111' : '000000');

  describe('an emailed link', () => {
    it('shows a confirmation page when opened, as often as a mail scanner likes, and uses nothing', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { link, token } = await signInEmail(seller, customer.email);
      for (let i = 0; i < 3; i += 1) {
        const page = await open(link);
        assert.equal(page.statusCode, 200);
        assert.equal(page.headers['set-cookie'], undefined);
        assert.match(page.body, /Continue to your account/);
        assert.match(
          page.body,
          /<form method="post" action="\/sandbox-customer-portal\/cpl_[a-z\d]{26}\/sign-in\/link">/,
        );
        assert.match(page.body, /<button type="submit" class="button">Sign in<\/button>/);
        assert.equal(page.headers['referrer-policy'], 'no-referrer');
        assert.equal(page.headers['cache-control'], 'no-store');
      }
      assert.equal(await sessionCount(seller.id), 0);
      const signedIn = await post(`${seller.path}/sign-in/link`, { token, action: 'overview' });
      assert.equal(signedIn.statusCode, 303, signedIn.body);
      assert.equal(signedIn.headers.location, `${seller.path}?action=overview`);
      assert.match(String(signedIn.headers['set-cookie']), /^paddock_portal_session=/);
      assert.equal(await sessionCount(seller.id), 1);
    });

    it('signs in once: two concurrent POSTs make exactly one session, and later ones are refused', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { link, token } = await signInEmail(seller, customer.email);
      const results = await Promise.all(
        [1, 2].map(() => post(`${seller.path}/sign-in/link`, { token, action: 'overview' })),
      );
      const statuses = results.map((r) => r.statusCode).sort();
      assert.deepEqual(statuses, [303, 410]);
      assert.equal(results.filter((r) => r.headers['set-cookie'] !== undefined).length, 1);
      assert.equal(await sessionCount(seller.id), 1);
      const refused = results.find((r) => r.statusCode === 410)!;
      assert.match(refused.body, /This link has already been used/);

      const again = await post(`${seller.path}/sign-in/link`, { token, action: 'overview' });
      assert.equal(again.statusCode, 410);
      assert.equal(again.headers['set-cookie'], undefined);
      const reopened = await open(link);
      assert.match(reopened.body, /This link has already been used/);
      assert.doesNotMatch(reopened.body, /Continue to your account/);
      assert.equal(await sessionCount(seller.id), 1);
    });

    it('is refused from another site, and still works from the portal afterwards', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { token } = await signInEmail(seller, customer.email);
      const forged = await post(
        `${seller.path}/sign-in/link`,
        { token, action: 'overview' },
        { origin: 'https://evil.example' },
      );
      assert.equal(forged.statusCode, 403);
      assert.equal(forged.headers['set-cookie'], undefined);
      const own = await post(`${seller.path}/sign-in/link`, { token, action: 'overview' });
      assert.equal(own.statusCode, 303);
    });

    it('expires after 15 minutes on the tenant’s clock, for its POST as well as its page', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { link, token } = await signInEmail(seller, customer.email);
      await advanceClock(t(), { by: 'PT15M1S' }, seller.key);
      assert.match((await open(link)).body, /This link has expired/);
      const late = await post(`${seller.path}/sign-in/link`, { token, action: 'overview' });
      assert.equal(late.statusCode, 410);
      assert.match(late.body, /This link has expired/);
      assert.equal(await sessionCount(seller.id), 0);
    });
  });

  describe('the 6-digit code', () => {
    it('signs in once; then neither the code nor the same email’s link works again', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { link, code } = await signInEmail(seller, customer.email);
      const page = await askForEmail(seller, 'someone@example.com');
      assert.match(page.body, /<label for="sign-in-code">Sign-in code<\/label>/);

      const signedIn = await tryCode(seller, customer.email.toUpperCase(), code);
      assert.equal(signedIn.statusCode, 303, signedIn.body);
      assert.match(String(signedIn.headers['set-cookie']), /^paddock_portal_session=/);
      assert.equal(await sessionCount(seller.id), 1);

      const again = await tryCode(seller, customer.email, code);
      assert.equal(again.statusCode, 422);
      assert.equal(again.headers['set-cookie'], undefined);
      assert.match((await open(link)).body, /This link has already been used/);
      assert.equal(await sessionCount(seller.id), 1);
    });

    it(`takes ${CODE_TRIES} wrong tries, then is dead even for the right code, and says so`, async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { code } = await signInEmail(seller, customer.email);
      for (let i = 1; i < CODE_TRIES; i += 1) {
        const wrong = await tryCode(seller, customer.email, wrongCode(code));
        assert.equal(wrong.statusCode, 422);
        assert.match(wrong.body, /That code isn&#39;t right|That code isn't right/);
      }
      const last = await tryCode(seller, customer.email, wrongCode(code));
      assert.match(last.body, /Too many incorrect attempts. This code no longer works: request a new code./);
      const right = await tryCode(seller, customer.email, code);
      assert.equal(right.statusCode, 422);
      assert.match(right.body, /Too many incorrect attempts/);
      assert.equal(await sessionCount(seller.id), 0);

      // A new email brings a new code, with tries of its own.
      await advanceClock(t(), { by: 'PT1M' }, seller.key);
      const fresh = await signInEmail(seller, customer.email);
      assert.equal((await tryCode(seller, customer.email, fresh.code)).statusCode, 303);
    });

    it(`gets at most ${CODE_TRIES} comparisons however many guesses arrive at once`, async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { code } = await signInEmail(seller, customer.email);
      // Ten concurrent wrong guesses from ten clients (under the per-client limit each).
      const guesses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => tryCode(seller, customer.email, wrongCode(code), `10.0.0.${i + 1}`)),
      );
      assert.ok(guesses.every((g) => g.statusCode === 422));
      const row = await t()
        .db.selectFrom('portal_sign_ins')
        .select('code_attempts')
        .where('seller_id', '=', seller.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.code_attempts), CODE_TRIES);
      assert.equal((await tryCode(seller, customer.email, code)).statusCode, 422);
      assert.equal(await sessionCount(seller.id), 0);
    });

    it('expires after 15 minutes on the tenant’s clock', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { code } = await signInEmail(seller, customer.email);
      await advanceClock(t(), { by: 'PT15M1S' }, seller.key);
      const late = await tryCode(seller, customer.email, code);
      assert.equal(late.statusCode, 422);
      assert.match(late.body, /This code has expired. Request a new code./);
      assert.equal(await sessionCount(seller.id), 0);
    });

    it('asks again for a code that is not 6 digits, taking no try', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { code } = await signInEmail(seller, customer.email);
      for (const typed of ['', '12345', '1234567', 'abcdef']) {
        const res = await tryCode(seller, customer.email, typed);
        assert.equal(res.statusCode, 422);
        assert.match(res.body, /Enter the 6-digit code from your email./);
      }
      assert.equal((await tryCode(seller, customer.email, `${code.slice(0, 3)}-${code.slice(3)}`)).statusCode, 303);
    });
  });

  describe('limits', () => {
    const { max: perClient } = SIGN_IN_LIMITS.perClient;

    it(`sends at most ${perClient} sign-in emails per client per 15 minutes, whatever the addresses`, async () => {
      const seller = await aSeller();
      const customers = [];
      for (let i = 0; i <= perClient; i += 1) customers.push(await aCustomer(t(), {}, seller.key));
      const ip = '203.0.113.7';
      for (const customer of customers.slice(0, perClient)) {
        assert.equal((await askForEmail(seller, customer.email, ip)).statusCode, 200);
      }
      const over = customers[perClient]!;
      const refused = await askForEmail(seller, over.email, ip);
      assert.equal(refused.statusCode, 429);
      assert.match(refused.body, /Too many sign-in attempts from your network. Wait 15 minutes, then try again./);
      assert.deepEqual(await emailsTo(t(), seller, over.email), []);
      // Unknown addresses count too (the limit cannot tell them apart either).
      assert.equal((await askForEmail(seller, 'nobody@example.com', ip)).statusCode, 429);

      // Another client is not held back; the same client may ask again once the window has passed.
      assert.equal((await askForEmail(seller, over.email, '203.0.113.8')).statusCode, 200);
      assert.equal((await emailsTo(t(), seller, over.email)).length, 1);
      await advanceClock(t(), { by: 'PT15M1S' }, seller.key);
      assert.equal((await askForEmail(seller, customers[0]!.email, ip)).statusCode, 200);
    });

    it('counts by the X-Forwarded-For client only behind a proxy PADDOCK_TRUST_PROXY names', async () => {
      const ask = (app: TestApp, cpl: string, i: number) =>
        app.app.inject({
          method: 'POST',
          url: `/sandbox-customer-portal/${cpl}/sign-in`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `192.0.2.${i}` },
          payload: new URLSearchParams({ email: `someone${i}@example.com`, action: 'overview' }).toString(),
        });
      // Not trusted (the default): every request comes from the socket's peer, whatever the header says.
      const seller = await aSeller();
      const cpl = seller.path.split('/').at(-1)!;
      const statuses = [];
      for (let i = 0; i <= perClient; i += 1) statuses.push((await ask(t(), cpl, i)).statusCode);
      assert.equal(statuses.at(-1), 429);
      // Trusted: each forwarded client has its own count.
      const proxied = await startTestApp(dialect, { PADDOCK_TRUST_PROXY: '127.0.0.1' });
      try {
        const { portal_id: proxiedCpl } = await portalRow(proxied, 'sandbox');
        for (let i = 0; i <= perClient; i += 1) assert.equal((await ask(proxied, proxiedCpl, i)).statusCode, 200);
      } finally {
        await proxied.close();
      }
    });

    it(`takes at most ${SIGN_IN_LIMITS.codeTriesPerClient.max} codes per client per 15 minutes`, async () => {
      const seller = await aSeller();
      const ip = '198.51.100.4';
      for (let i = 0; i < SIGN_IN_LIMITS.codeTriesPerClient.max; i += 1) {
        assert.equal((await tryCode(seller, `probe${i}@example.com`, '123456', ip)).statusCode, 422);
      }
      const customer = await aCustomer(t(), {}, seller.key);
      const { code } = await signInEmail(seller, customer.email);
      const refused = await tryCode(seller, customer.email, code, ip);
      assert.equal(refused.statusCode, 429);
      assert.match(refused.body, /Too many sign-in attempts/);
      // The code took no try from that client: it still signs in from another.
      assert.equal((await tryCode(seller, customer.email, code, '198.51.100.5')).statusCode, 303);
    });

    it(`takes at most ${SIGN_IN_LIMITS.codeTriesPerAddress.max} codes per address per day, from any clients; the link still works`, async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const { max } = SIGN_IN_LIMITS.codeTriesPerAddress;
      for (let i = 0; i < max; i += 1) {
        // A new client every few tries, as an attacker with many addresses would.
        const res = await tryCode(seller, customer.email, '123456', `10.1.${Math.floor(i / 4)}.1`);
        assert.equal(res.statusCode, 422, `try ${i + 1}`);
      }
      const { link, token, code } = await signInEmail(seller, customer.email);
      const refused = await tryCode(seller, customer.email, code, '10.2.0.1');
      assert.equal(refused.statusCode, 429);
      assert.match(
        refused.body,
        /Too many incorrect attempts for this email address. Sign in with the link in your email/,
      );
      assert.match((await open(link)).body, /Continue to your account/);
      assert.equal((await post(`${seller.path}/sign-in/link`, { token, action: 'overview' })).statusCode, 303);
      // A day later codes are taken again.
      await advanceClock(t(), { by: 'PT24H1M' }, seller.key);
      const next = await signInEmail(seller, customer.email);
      assert.equal((await tryCode(seller, customer.email, next.code, '10.2.0.2')).statusCode, 303);
    });

    it('answers an unknown address exactly like a known one, tries and lockout included', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      const unknown = 'not-a-customer@example.com';
      const transcript = async (address: string) => {
        const pages = [await askForEmail(seller, address)];
        for (let i = 0; i <= CODE_TRIES; i += 1) pages.push(await tryCode(seller, address, '999999'));
        return pages.map((p) => `${p.statusCode} ${p.body.replaceAll(address, '<email>')}`);
      };
      // (999999 could be the customer's code once in a million runs; the known transcript would then differ)
      assert.deepEqual(await transcript(unknown), await transcript(customer.email));
    });

    it('forgets sign-ins a day after they expire, and rate-limit hits once out of their window', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      await signInEmail(seller, customer.email);
      await askForEmail(seller, 'nobody@example.com');
      const rows = async (table: 'portal_sign_ins' | 'rate_limit_hits') =>
        (await t().db.selectFrom(table).select('id').where('seller_id', '=', seller.id).execute()).length;
      assert.equal(await rows('portal_sign_ins'), 2);
      assert.equal(await rows('rate_limit_hits'), 4);
      await advanceClock(t(), { by: 'PT24H16M' }, seller.key);
      await askForEmail(seller, 'somebody-else@example.com');
      assert.equal(await rows('portal_sign_ins'), 1, 'only the new one');
      assert.equal(await rows('rate_limit_hits'), 2, 'only the new request’s (per client and per address)');
    });

    it('keeps links, codes and client addresses only hashed', async () => {
      const seller = await aSeller();
      const customer = await aCustomer(t(), {}, seller.key);
      await askForEmail(seller, customer.email, '192.0.2.55');
      const [email] = await emailsTo(t(), seller, customer.email);
      const token = /token=(pga_\S+)/.exec(email!.text)![1]!;
      const code = /enter this code on the sign-in page: (\d{6})/.exec(email!.text)![1]!;
      const stored = JSON.stringify(
        [
          await t().db.selectFrom('portal_sign_ins').selectAll().where('seller_id', '=', seller.id).execute(),
          await t().db.selectFrom('rate_limit_hits').selectAll().where('seller_id', '=', seller.id).execute(),
        ],
        (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value),
      );
      assert.ok(!stored.includes(token), 'no link token');
      assert.ok(!stored.includes(code), 'no code');
      assert.ok(!stored.includes('192.0.2.55'), 'no client address');
    });
  });
});
