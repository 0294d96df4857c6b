import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { Temporal } from '../../kernel/time.js';
import { mintPortalToken, verifyPortalToken } from './portal-tokens.js';

const tenant = { seller_id: 'sel_tokens', environment: 'sandbox' as const };
const now = Temporal.Instant.from('2026-11-29T12:00:00.123456Z');
const secret = 'a-signing-secret-ü';

describe('portal tokens', () => {
  it('are HS256 JWTs that jose verifies, with the claims the portal reads', async () => {
    const token = await mintPortalToken(secret, { customerId: 'ctm_1', tenant, usage: 'customer-portal-url', now });
    assert.match(token, /^pga_[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.deepEqual(decodeProtectedHeader(token.slice(4)), { alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token.slice(4), new TextEncoder().encode(secret), {
      issuer: 'paddock-guestaccess',
      algorithms: ['HS256'],
      currentDate: new Date(Number(now.epochMilliseconds)),
    });
    assert.equal(payload.sub, 'ctm_1');
    assert.equal(payload['seller-id'], 'sel_tokens');
    assert.equal(payload.exp, Number(payload.iat) + 24 * 60 * 60);
    assert.match(String(payload.id), /^pga_/);

    const checked = await verifyPortalToken(secret, token, tenant, now);
    assert.ok(checked.ok);
    assert.equal(checked.claims.customerId, 'ctm_1');
    assert.equal(checked.claims.usage, 'customer-portal-url');
  });

  it('are refused with another secret, for another tenant, and once expired', async () => {
    const token = await mintPortalToken(secret, { customerId: 'ctm_1', tenant, usage: 'magic-link', now });
    assert.deepEqual(await verifyPortalToken('another', token, tenant, now), { ok: false, reason: 'invalid' });
    const live = { ...tenant, environment: 'live' as const };
    assert.deepEqual(await verifyPortalToken(secret, token, live, now), { ok: false, reason: 'invalid' });
    const later = now.add({ hours: 25 });
    assert.deepEqual(await verifyPortalToken(secret, token, tenant, later), { ok: false, reason: 'expired' });
  });
});
