// `npm run bench:webhooks`: webhook delivery from one Paddock process (issue #11 item 7). A server started as
// users start it (`node bin/paddock.mjs serve` on a SQLite file, pinned to core 0) delivers to a receiver in this
// process (core 1) that answers 200 at once.
//
// - Throughput: N notifications are put in the outbox in one transaction (as a burst of events leaves them: the
//   bench copies one real notification, made by POST /customers, N times into the file while the server runs), and
//   the receiver counts deliveries per second from the first arrival to the last. Beside it, the bare sender: this
//   process POSTing the same bodies to the same receiver with Node's http and keep-alive, 64 at a time, with no
//   database: the ceiling of the receiver and the loopback.
// - Delay: with the worker idle-polling (PADDOCK_WEBHOOK_POLL_MS, default 100 ms), one POST /customers every
//   50 ms; the delay is from the API's answer (the event and its notification committed before it) to the
//   webhook's arrival: p50, p99.
//
// Options: --n <notifications> (default 20000), --events <n> (default 200, for the delay), --append (append the
// table to BENCHMARKS.md). BENCH_PROF_DIR=<dir> profiles the server (--cpu-prof) into that folder.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { monotonicFactory } from 'ulid';
import { loadAverage, shares, snapshot } from './cpu.js';
import { LOAD_CORE, SERVER_CORE, freePort, killAllNow, pinSelf, startNode, stopAll } from './processes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KEY = 'pdl_sdbx_apikey_01gtgztp8f4kek3yd4g1wrksa3_q6TGTJyvoIz7LDtXT65bX7_AQO';

const { values: options } = parseArgs({
  options: {
    n: { type: 'string', default: '20000' },
    events: { type: 'string', default: '200' },
    append: { type: 'boolean', default: false },
  },
});
const N = Number(options.n);
const EVENTS = Number(options.events);

interface Receiver {
  url: string;
  /** Arrival time (performance.now()) by notification id. */
  arrivals: Map<string, number>;
  count: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', arrivals: new Map(), count: 0, close: async () => undefined };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.now();
      const id = /"notification_id":"(ntf_[a-z\d]+)"/.exec(Buffer.concat(chunks).toString('utf8'))?.[1] ?? '';
      if (!receiver.arrivals.has(id)) receiver.arrivals.set(id, at);
      receiver.count += 1;
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ id: string }> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (JSON.parse(text) as { data: { id: string } }).data;
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** The bare sender: `count` POSTs of `body` to the receiver, 64 at a time over keep-alive; answers per second. */
async function bareSender(receiver: Receiver, body: string, count: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(receiver.url);
  let next = 0;
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on('end', resolve);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < count) {
        next += 1;
        await post();
      }
    }),
  );
  agent.destroy();
  return count / ((performance.now() - started) / 1000);
}

process.on('SIGINT', () => {
  killAllNow();
  process.exit(130);
});

const dir = mkdtempSync(join(tmpdir(), 'paddock-bench-webhooks-'));
const receiver = await startReceiver();
try {
  pinSelf(LOAD_CORE);
  const file = join(dir, 'bench.db');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startNode(
    'paddock',
    [
      ...(process.env.BENCH_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF_DIR}`] : []),
      'bin/paddock.mjs',
      'serve',
    ],
    { ...process.env, PORT: String(port), DATABASE_URL: `sqlite:${file}`, PADDOCK_SANDBOX_API_KEY: KEY },
    SERVER_CORE,
    ROOT,
  );
  await server.waitFor(/Paddock listening on/, 60_000);
  await call(base, 'POST', '/notification-settings', {
    description: 'bench',
    type: 'url',
    destination: receiver.url,
    subscribed_events: ['customer.created'],
  });

  // Delay: one event every 50 ms, the worker idle in between.
  const delays: number[] = [];
  for (let i = 0; i < EVENTS; i += 1) {
    const before = receiver.count;
    await call(base, 'POST', '/customers', { email: `delay-${i}-${randomBytes(3).toString('hex')}@example.com` });
    const answered = performance.now();
    await until(() => receiver.count > before, 10_000, 'a delivery');
    delays.push([...receiver.arrivals.values()].at(-1)! - answered);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // Throughput: N copies of a real notification committed at once.
  const db = new SQLite(file);
  db.pragma('busy_timeout = 5000');
  const template = db.prepare('select * from notifications order by id desc limit 1').get() as Record<string, unknown>;
  const nextUlid = monotonicFactory();
  const insert = db.prepare(
    `insert into notifications (${Object.keys(template).join(', ')}) values (${Object.keys(template)
      .map((k) => `@${k}`)
      .join(', ')})`,
  );
  const rows = Array.from({ length: N }, () => {
    const id = `ntf_${nextUlid().toLowerCase()}`;
    const payload = String(template.payload).replace(/"notification_id":"ntf_[a-z\d]+"/, `"notification_id":"${id}"`);
    return {
      ...template,
      id,
      payload,
      status: 'not_attempted',
      times_attempted: 0,
      delivered_at: null,
      last_attempt_at: null,
      retry_at: null,
      claimed_until: null,
      claim_token: null,
      due_at: template.created_at,
    };
  });
  const already = receiver.count;
  const cpuBefore = snapshot(server.process.pid);
  db.transaction(() => {
    for (const row of rows) insert.run(row);
  })();
  db.close();
  await until(() => receiver.count >= already + N, 600_000, 'every delivery');
  const cpuAfter = snapshot(server.process.pid);
  const arrivals = rows.map((row) => receiver.arrivals.get(row.id) ?? Number.NaN);
  const seconds = (Math.max(...arrivals) - Math.min(...arrivals)) / 1000;
  const perSecond = N / seconds;
  const serverCpu = shares(cpuBefore, cpuAfter).server;
  await server.stop();
  const bare = await bareSender(receiver, String(template.payload), N);

  const table = [
    '',
    `## Webhook delivery (\`npm run bench:webhooks\`, ${new Date().toISOString().slice(0, 10)}, load ${loadAverage()})`,
    '',
    'One Paddock process on a SQLite file (core 0) delivering to a receiver in the bench process (core 1) that answers 200 at once.',
    '',
    '| measure | value |',
    '|---|---|',
    `| deliveries per second (${N} notifications committed at once) | ${perSecond.toFixed(0)} |`,
    `| bare sender (Node http, keep-alive, 64 at a time, no database) | ${bare.toFixed(0)} per second |`,
    `| ratio to the bare sender | ${(perSecond / bare).toFixed(2)} |`,
    `| server CPU while delivering | ${(serverCpu * 100).toFixed(0)}% of a core |`,
    `| server CPU per delivery | ${((serverCpu * seconds * 1000) / N).toFixed(2)} ms |`,
    `| delay from the API's answer to the webhook, idle-polling worker (${EVENTS} events, 50 ms apart): p50 | ${percentile(delays, 50).toFixed(1)} ms |`,
    `| same, p99 | ${percentile(delays, 99).toFixed(1)} ms |`,
    '',
    'Target (issue #11): at least 2,000 deliveries per second on SQLite, p99 delay under 1 s when idle-polling.',
    '',
  ].join('\n');
  console.log(table);
  if (options.append) appendFileSync(join(ROOT, 'BENCHMARKS.md'), table);
} finally {
  await receiver.close();
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
