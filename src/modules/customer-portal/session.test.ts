// The stateless portal session: a MACed cookie with idle (30 min) and absolute (12 h) limits, and CSRF tokens
// bound to the session id.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from '../../kernel/time.js';
import {
  csrfToken,
  csrfTokenMatches,
  readSession,
  refreshSession,
  SESSION_ABSOLUTE_SECONDS,
  SESSION_IDLE_SECONDS,
  startSession,
} from './session.js';

const SECRET = 'a-portal-signing-secret-of-the-environment';
const PORTAL = 'cpl_01h04vsc0qhwtsbsxh3422wjs4';
const NOW = Temporal.Instant.from('2026-11-24T12:00:00Z');
const later = (seconds: number) => NOW.add({ seconds });

describe('portal session cookie', () => {
  it('reads back the customer it was started for, with a new session id each time', () => {
    const first = startSession(SECRET, PORTAL, 'ctm_1', NOW);
    const second = startSession(SECRET, PORTAL, 'ctm_1', NOW);
    assert.notEqual(first.session.sessionId, second.session.sessionId);
    assert.ok(first.session.sessionId.length >= 22, '128 random bits');
    assert.deepEqual(readSession(SECRET, PORTAL, first.cookie, NOW), first.session);
    assert.equal(first.session.expiresAt - first.session.signedInAt, SESSION_IDLE_SECONDS);
    assert.match(first.cookie, /^[\w-]+\.[\w-]+$/, 'cookie-safe characters only');
  });

  it('refuses a changed cookie, another portal, another secret and garbage', () => {
    const { cookie } = startSession(SECRET, PORTAL, 'ctm_1', NOW);
    const [payload, mac] = cookie.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), c: 'ctm_2' }),
    ).toString('base64url');
    assert.equal(readSession(SECRET, PORTAL, `${forged}.${mac}`, NOW), undefined);
    assert.equal(readSession(SECRET, 'cpl_01h04vsc0qhwtsbsxh3422wjs5', cookie, NOW), undefined);
    assert.equal(readSession('another-secret', PORTAL, cookie, NOW), undefined);
    for (const garbage of [undefined, '', 'x', 'a.b', `${cookie}.x`, `${payload}.`])
      assert.equal(readSession(SECRET, PORTAL, garbage, NOW), undefined);
  });

  it('ends after 30 idle minutes; use moves that on, never past 12 hours', () => {
    const started = startSession(SECRET, PORTAL, 'ctm_1', NOW);
    assert.ok(readSession(SECRET, PORTAL, started.cookie, later(SESSION_IDLE_SECONDS - 1)));
    assert.equal(readSession(SECRET, PORTAL, started.cookie, later(SESSION_IDLE_SECONDS)), undefined);

    let current = started;
    for (let at = 20 * 60; at < SESSION_ABSOLUTE_SECONDS; at += 20 * 60) {
      const session = readSession(SECRET, PORTAL, current.cookie, later(at));
      assert.ok(session, `still signed in after ${at} s of use`);
      current = refreshSession(SECRET, PORTAL, session, later(at));
    }
    assert.equal(current.session.expiresAt, current.session.signedInAt + SESSION_ABSOLUTE_SECONDS);
    assert.equal(readSession(SECRET, PORTAL, current.cookie, later(SESSION_ABSOLUTE_SECONDS)), undefined);
  });

  it('takes CSRF tokens of its own session only', () => {
    const a = startSession(SECRET, PORTAL, 'ctm_1', NOW).session;
    const b = startSession(SECRET, PORTAL, 'ctm_1', NOW).session;
    const token = csrfToken(SECRET, PORTAL, a);
    assert.equal(csrfTokenMatches(SECRET, PORTAL, a, token), true);
    assert.equal(csrfTokenMatches(SECRET, PORTAL, b, token), false);
    assert.equal(csrfTokenMatches('another-secret', PORTAL, a, token), false);
    for (const bad of [undefined, '', 'x'.repeat(43), 42, 'x'.repeat(500)])
      assert.equal(csrfTokenMatches(SECRET, PORTAL, a, bad), false);
  });
});
