import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { formFields, pathParam, property, queryParam } from './request-values.js';

describe('request values', () => {
  let app: FastifyInstance;

  before(async () => {
    app = Fastify();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    app.post('/things/:thingId', async (request) => ({
      thingId: pathParam(request, 'thingId'),
      mode: queryParam(request, 'mode') ?? null,
      form: formFields(request),
    }));
    app.get('/plain', async (request) => pathParam(request, 'thingId'));
    await app.ready();
  });

  after(() => app.close());

  it('reads a path parameter, a query value given once and the string fields of a form', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things/th_1?mode=fast',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a%40example.com&country_code=GB',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      thingId: 'th_1',
      mode: 'fast',
      form: { email: 'a@example.com', country_code: 'GB' },
    });
  });

  it('treats a repeated query name as absent, and a JSON body as a form only for its string fields', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/things/th_1?mode=fast&mode=slow',
      payload: { email: 'a@example.com', count: 2, nested: { x: '1' } },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { thingId: 'th_1', mode: null, form: { email: 'a@example.com' } });
  });

  it('has no fields without a body', async () => {
    const res = await app.inject({ method: 'POST', url: '/things/th_2' });
    assert.deepEqual(res.json().form, {});
  });

  it('fails loudly when a route asks for a segment its path does not have', async () => {
    const res = await app.inject({ method: 'GET', url: '/plain' });
    assert.equal(res.statusCode, 500);
  });

  it('reads properties of parsed JSON of unknown shape', () => {
    assert.equal(property({ card: { last4: '4242' } }, 'card') !== undefined, true);
    assert.equal(property(property({ card: { last4: '4242' } }, 'card'), 'last4'), '4242');
    assert.equal(property('text', 'length'), undefined);
    assert.equal(property(null, 'card'), undefined);
  });
});
