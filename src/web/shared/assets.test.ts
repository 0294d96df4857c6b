import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { installSecurityHeaders } from '../../http/security-headers.js';
import { assetRoutes, etagMatches, stylesheet } from './assets.js';

describe('stylesheet', () => {
  it('is the CSS file with its content type and a stable ETag', () => {
    const asset = stylesheet();
    assert.match(asset.body, /:focus-visible/);
    assert.equal(asset.content_type, 'text/css; charset=utf-8');
    assert.match(asset.etag, /^"[A-Za-z0-9_-]{27}"$/);
    assert.equal(stylesheet().etag, asset.etag);
  });
});

describe('etagMatches', () => {
  const etag = '"abc"';
  const table: Array<[string | undefined, boolean]> = [
    [undefined, false],
    ['', false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['*', true],
    ['"abd"', false],
  ];
  for (const [header, expected] of table)
    it(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(etagMatches(header, etag), expected));
});

describe('assetRoutes', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify();
    installSecurityHeaders(app);
    assetRoutes(app);
    await app.ready();
  });
  after(() => app.close());

  it('serves /assets/paddock.css as cacheable CSS', async () => {
    const response = await app.inject({ method: 'GET', url: '/assets/paddock.css' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'public, max-age=3600');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers.etag, stylesheet().etag);
    assert.equal(response.body, stylesheet().body);
  });

  it('answers 304 without a body when the ETag still matches', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/assets/paddock.css',
      headers: { 'if-none-match': stylesheet().etag },
    });
    assert.equal(response.statusCode, 304);
    assert.equal(response.body, '');
    assert.equal(response.headers.etag, stylesheet().etag);
  });

  it('answers HEAD too', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/assets/paddock.css' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/css; charset=utf-8');
  });
});
