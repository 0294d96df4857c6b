// Logs: one structured line per request (request id, method, route, status, duration), the whole error of a 5xx,
// and no secret in any line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { useTestApp } from '../../test/support/app.js';
import { buildApp } from '../app.js';
import { WallClock } from '../kernel/clock.js';
import { MODULES } from '../modules/index.js';
import type { PaddockModule } from '../modules/module.js';
import { loggerOptions, scrubLogLine } from './logging.js';

interface LogLine {
  [field: string]: unknown;
  err: { stack: string; message: string };
  time: string;
}

const KEY = 'pdl_sdbx_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGTJyvoIz7LDtXT65bX7_AQO';

/** A module whose one route fails as a bug would, with secrets in its message. */
const failing: PaddockModule = {
  name: 'failing',
  routes: (app) => {
    app.get('/failing/:id', async () => {
      throw new Error(`driver said: card 4242 4242 4242 4242 and key ${KEY} and token pga_eyJhbGciOi.eyJzdWIi.sig`);
    });
  },
};

describe('log lines', () => {
  const t = useTestApp('sqlite');

  async function appWithLog(logLevel: 'info' | 'warn' = 'info') {
    const lines: string[] = [];
    const app = await buildApp({
      db: t().db,
      dialect: t().dialect,
      config: { ...t().config, logLevel },
      wallClock: t().clock,
      logDestination: { write: (line) => void lines.push(line) },
      modules: [...MODULES, failing],
    });
    return { app, lines, parsed: () => lines.map((line) => JSON.parse(line) as LogLine) };
  }

  it('one line per request with request id, method, route template, status and duration', async () => {
    const { app, parsed } = await appWithLog();
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/products/pro_01h7zcgmdc6tmwtjehp3sh7azf?include=prices&token=pga_secret',
        headers: { authorization: `Bearer ${t().keys.sandbox}`, cookie: 'paddock_portal=abc.def' },
      });
      assert.equal(response.statusCode, 404);
      const [line, ...rest] = parsed();
      assert.equal(rest.length, 0, 'one line, not an incoming and a completed one');
      assert.equal(line!.request_id, response.json().meta.request_id);
      assert.equal(line!.method, 'GET');
      assert.equal(line!.route, '/products/:product_id');
      assert.equal(line!.status, 404);
      assert.equal(typeof line!.duration_ms, 'number');
      assert.equal(line!.level, 30);
      assert.match(line!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      assert.ok(!JSON.stringify(line).includes(t().keys.sandbox), 'no key');
      assert.ok(!JSON.stringify(line).includes('pga_secret'), 'no query string');
    } finally {
      await app.close();
    }
  });

  it('a 500 writes the whole error (message, stack, route) with every secret in it scrubbed', async () => {
    const { app, lines, parsed } = await appWithLog();
    try {
      const response = await app.inject({ method: 'GET', url: '/failing/x' });
      assert.equal(response.statusCode, 500);
      assert.equal(response.json().error.code, 'internal_error');
      const errorLine = parsed().find((line) => line.msg === 'unhandled error');
      assert.ok(errorLine, lines.join('\n'));
      assert.equal(errorLine.level, 50);
      assert.equal(errorLine.route, '/failing/:id');
      assert.match(errorLine.err.stack, /logging\.test\.ts/);
      assert.match(errorLine.err.message, /driver said/);
      const text = lines.join('\n');
      for (const secret of ['4242 4242 4242 4242', KEY, 'eyJhbGciOi']) assert.ok(!text.includes(secret), secret);
      const completed = parsed().find((line) => line.msg === 'request failed');
      assert.equal(completed?.status, 500);
    } finally {
      await app.close();
    }
  });

  it('above info (LOG_LEVEL=warn) answered requests write nothing, and a 500 still writes its error', async () => {
    const { app, parsed } = await appWithLog('warn');
    try {
      const headers = { authorization: `Bearer ${t().keys.sandbox}` };
      assert.equal((await app.inject({ method: 'GET', url: '/products', headers })).statusCode, 200);
      assert.equal(
        (await app.inject({ method: 'GET', url: '/products/pro_01h7zcgmdc6tmwtjehp3sh7azf', headers })).statusCode,
        404,
      );
      assert.deepEqual(parsed(), []);
      const failed = await app.inject({ method: 'GET', url: '/failing/x' });
      assert.deepEqual(
        parsed().map((line) => [line.msg, line.request_id]),
        [
          ['unhandled error', failed.json().meta.request_id],
          ['request failed', failed.json().meta.request_id],
        ],
      );
    } finally {
      await app.close();
    }
  });

  it('framework errors are logged as requests too', async () => {
    const { app, parsed } = await appWithLog();
    try {
      await app.inject({ method: 'GET', url: '/products/%ZZ' });
      assert.deepEqual(
        parsed().map((line) => [line.status, line.route]),
        [[400, 'unmatched']],
      );
    } finally {
      await app.close();
    }
  });
});

describe('scrubLogLine', () => {
  it('removes keys, portal tokens, JWTs, bearer credentials and card numbers, and keeps the rest', () => {
    const line = JSON.stringify({
      msg: `Bearer ${KEY} pga_abc.def-ghi eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjdG0ifQ.c2ln 4000-0566-5566-5556 4000003800000446`,
      request_id: '3a05e625-6684-4042-bb46-4edcd978155a',
      duration_ms: 12.345,
      amount: '1000000',
    });
    const scrubbed = scrubLogLine(line);
    for (const secret of ['q6TGTJyvoIz7', 'abc.def', 'eyJzdWIi', '5566', '4000003800000446']) {
      assert.ok(!scrubbed.includes(secret), `${secret} in ${scrubbed}`);
    }
    assert.match(scrubbed, /3a05e625-6684-4042-bb46-4edcd978155a/);
    assert.match(scrubbed, /12\.345/);
    assert.match(scrubbed, /"amount":"1000000"/);
  });

  it('censors fields named like secrets, at any depth', async () => {
    const lines: string[] = [];
    const app = Fastify(loggerOptions('info', new WallClock(), { write: (l) => void lines.push(l) }));
    app.log.info({
      card_number: '1234',
      nested: { cookie: 'c=1', token: 'abc', cvc: '100' },
      deeper: { a: { password: 'p' } },
    });
    await app.close();
    const line = JSON.parse(lines[0]!);
    assert.equal(line.card_number, '[redacted]');
    assert.deepEqual(line.nested, { cookie: '[redacted]', token: '[redacted]', cvc: '[redacted]' });
    assert.equal(line.deeper.a.password, '[redacted]');
  });
});
