// Every error answers Paddle's envelope, whatever raised it: the router (bad URLs, over-long path segments), the
// body parsers, unknown routes and methods, Node's HTTP parser (raw socket), and a handler's unexpected throw.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { useTestApp } from '../../test/support/app.js';
import { assertPaddleError } from '../../test/support/contract.js';

function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += String(chunk)));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(request);
  });
}

describe('errors before a route runs', () => {
  const t = useTestApp('sqlite');

  it('a malformed percent-encoding is 400 bad_request, on API and page paths alike', async () => {
    assertPaddleError(await t().request('GET', '/products/%ZZ'), 400, 'bad_request');
    assertPaddleError(await t().request('GET', '/checkout/%ZZ'), 400, 'bad_request');
    assertPaddleError(await t().request('POST', '/subscriptions/%E0%A4%A/cancel', { body: {} }), 400, 'bad_request');
  });

  it('a path segment over 100 characters is 404 not_found (no Paddle id is that long)', async () => {
    assertPaddleError(await t().request('GET', `/products/pro_${'p'.repeat(120)}`), 404, 'not_found');
    assertPaddleError(await t().request('GET', `/customer-portal/${'x'.repeat(200)}`), 404, 'not_found');
    assertPaddleError(await t().request('GET', `/products/${'p'.repeat(100)}`), 404, 'not_found');
  });

  it('bodies: malformed JSON, a wrong media type, no content type, too large', async () => {
    const key = `Bearer ${t().keys.sandbox}`;
    const send = async (headers: Record<string, string>, payload: string) => {
      const response = await t().app.inject({
        method: 'POST',
        url: '/products',
        headers: { authorization: key, ...headers },
        payload,
      });
      return { status: response.statusCode, headers: response.headers, text: response.body, body: response.json() };
    };
    assertPaddleError(await send({ 'content-type': 'application/json' }, '{"name":'), 400, 'invalid_json');
    assertPaddleError(await send({ 'content-type': 'text/plain' }, 'name=x'), 415, 'unsupported_media_type');
    assertPaddleError(await send({ 'content-type': 'application/xml' }, '<x/>'), 415, 'unsupported_media_type');
    assertPaddleError(
      await send({ 'content-type': 'application/json' }, JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) })),
      413,
      'request_body_too_large',
    );
  });

  it('unknown routes are 404 and known paths with another method 405, with Allow', async () => {
    assertPaddleError(await t().request('GET', '/nope'), 404, 'not_found');
    const response = await t().request('DELETE', '/products');
    assertPaddleError(response, 405, 'method_not_allowed');
    assert.match(String(response.headers.allow), /GET/);
  });

  it("what Node's HTTP parser refuses is answered in the envelope on the socket", async () => {
    const port = Number(new URL(t().baseUrl).port);
    const garbage = await rawRequest(port, 'GARBAGE\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400 /);
    const body = JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4));
    assert.equal(body.error.code, 'bad_request');
    assert.match(body.meta.request_id, /^[0-9a-f-]{36}$/);

    const huge = await rawRequest(port, `GET /products HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 /);
    assert.equal(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4)).error.code, 'request_headers_too_large');
  });
});
