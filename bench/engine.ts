// `npm run bench:engine`: the billing engine as a user meets it (issue #10). A server started as users start it
// (`node bin/paddock.mjs serve`, SQLite file or PostgreSQL), N monthly subscriptions made through the API (price,
// customer, address, transaction, pay; beyond 2,000, the first and last 1,000 through the API and the bulk through
// seed documents), then one `POST /test-helpers/clock/advance {"by":"P1M","wait":false}` followed until the clock
// is `ready`, while GET /customers/{id} is sent every 20 ms. Reports the seeding rates (through the API at the start
// and at N existing, and through seed documents), renewals per second, the server's (and PostgreSQL's) CPU, peak
// RSS, and the p50/p99 of the GETs sent during the advance, beside a bare Fastify route's p99 measured the same way.
//
// Options: --n <subscriptions> (default 2000), --only sqlite|postgres, --processes <k> (PostgreSQL: k servers
// on one database, the advance sent to the first), --cpu-prof (profile the server into a temporary folder and
// print a summary), --append (append the result table to BENCHMARKS.md).
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadAverage, shares, snapshot } from './cpu.js';
import { SERVER_CORE, freePort, killAllNow, startNode, stopAll, type Child } from './processes.js';
import { summariseProfile } from './profile-summary.js';
import { monthlySeedDocument } from './seed-document.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POSTGRES_URL = process.env.PADDOCK_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SEED_CONCURRENCY = 8;
/** Subscriptions made through the API at the start and at the end of a bulk seeding (the rates reported). */
const API_WINDOW = 1000;

const { values: options } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    only: { type: 'string' },
    processes: { type: 'string', default: '1' },
    'cpu-prof': { type: 'boolean', default: false },
    append: { type: 'boolean', default: false },
  },
});
const N = Number(options.n);

interface Server {
  child: Child;
  url: string;
  key: string;
}

async function startServer(name: string, databaseUrl: string, profileDir?: string): Promise<Server> {
  const port = await freePort();
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), 'bin/paddock.mjs', 'serve'];
  const env = {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    PADDOCK_SCHEDULER_INTERVAL_MS: '200',
    LOG_LEVEL: 'warn',
  };
  const child = startNode(name, args, env, SERVER_CORE, ROOT);
  await child.waitFor(/Paddock listening on/, 60_000);
  return { child, url: `http://127.0.0.1:${port}`, key: '' };
}

/** The part of an answered entity (or clock state) the benchmark reads. */
interface Entity {
  id: string;
  status?: string;
}

async function call(server: Server, method: string, path: string, body?: unknown): Promise<Entity> {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${server.key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300 && !(res.status === 202 && path.includes('advance')))
    throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (JSON.parse(text) as { data: Entity }).data;
}

/** One subscription through the API, as the issue measured it: customer, address, transaction, pay. */
async function subscribe(server: Server, priceId: string, i: number): Promise<string> {
  const customer = await call(server, 'POST', '/customers', {
    email: `bench-${i}-${randomBytes(3).toString('hex')}@example.com`,
  });
  const address = await call(server, 'POST', `/customers/${customer.id}/addresses`, {
    country_code: 'US',
    postal_code: '10001',
  });
  const txn = await call(server, 'POST', '/transactions', {
    items: [{ price_id: priceId, quantity: 1 }],
    customer_id: customer.id,
    address_id: address.id,
  });
  await call(server, 'POST', `/test-helpers/transactions/${txn.id}/pay`, {});
  return customer.id;
}

/** `count` subscriptions through the API (SEED_CONCURRENCY at a time); answers their customers and the rate (/s). */
async function subscribeThroughApi(server: Server, priceId: string, count: number, from: number) {
  const customers: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < count) {
        const i = from + next++;
        customers.push(await subscribe(server, priceId, i));
        if (customers.length % 1000 === 0) console.log(`  seeded ${from + customers.length} (API)`);
      }
    }),
  );
  return { customers, rate: count / ((performance.now() - started) / 1000) };
}

/** Rows of one seed document (`POST /test-helpers/seed`, one database transaction each) when seeding in bulk. */
const SEED_DOCUMENT_SUBSCRIPTIONS = 500;

/** `count` subscriptions through `POST /test-helpers/seed` (the bulk of a large N); answers their customers' ids. */
async function seedInBulk(server: Server, count: number, from: number): Promise<{ customers: string[]; rate: number }> {
  const customers: string[] = [];
  const started = performance.now();
  for (let done = 0; done < count; done += SEED_DOCUMENT_SUBSCRIPTIONS) {
    const size = Math.min(SEED_DOCUMENT_SUBSCRIPTIONS, count - done);
    const document = monthlySeedDocument(size, (i) => `bulk-${from + done + i}@example.com`);
    const res = await fetch(`${server.url}/test-helpers/seed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(document),
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`seed: ${res.status} ${text}`);
    customers.push(
      ...Object.values((JSON.parse(text) as { data: { customers: Record<string, string> } }).data.customers),
    );
    if ((done + size) % 10_000 < SEED_DOCUMENT_SUBSCRIPTIONS)
      console.log(`  seeded ${from + done + size} (seed documents)`);
  }
  return { customers, rate: count / ((performance.now() - started) / 1000) };
}

/**
 * Seeds `count` subscriptions. Up to API_WINDOW × 2 all go through the API (customer, address, transaction, pay),
 * and the rates reported are those of the first and the last tenth. Beyond that (100k), the first API_WINDOW go
 * through the API (rate "at the start"), the bulk through seed documents (`POST /test-helpers/seed`), and the last
 * API_WINDOW through the API again (rate "at N existing"): seeding 100k through the API would take hours.
 */
async function seed(server: Server, count: number) {
  const product = await call(server, 'POST', '/products', { name: 'Bench', tax_category: 'standard' });
  const price = await call(server, 'POST', '/prices', {
    product_id: product.id,
    description: 'Monthly',
    unit_price: { amount: '4900', currency_code: 'USD' },
    billing_cycle: { interval: 'month', frequency: 1 },
  });
  if (count <= API_WINDOW * 2) {
    const tenth = Math.max(1, Math.floor(count / 10));
    const first = await subscribeThroughApi(server, price.id, tenth, 0);
    const middle = await subscribeThroughApi(server, price.id, count - 2 * tenth, tenth);
    const last = await subscribeThroughApi(server, price.id, tenth, count - tenth);
    return {
      customers: [...first.customers, ...middle.customers, ...last.customers],
      firstRate: first.rate,
      lastRate: last.rate,
      bulkRate: Number.NaN,
    };
  }
  const first = await subscribeThroughApi(server, price.id, API_WINDOW, 0);
  const bulk = await seedInBulk(server, count - 2 * API_WINDOW, API_WINDOW);
  const last = await subscribeThroughApi(server, price.id, API_WINDOW, count - API_WINDOW);
  return {
    customers: [...first.customers, ...bulk.customers, ...last.customers],
    firstRate: first.rate,
    lastRate: last.rate,
    bulkRate: bulk.rate,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** GETs `path()` every 20 ms until `done()`; answers the latencies (ms). */
async function probe(server: Server, path: () => string, done: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  const inFlight: Array<Promise<void>> = [];
  while (!done()) {
    const started = performance.now();
    inFlight.push(
      fetch(server.url + path(), { headers: { authorization: `Bearer ${server.key}` } }).then(async (res) => {
        await res.arrayBuffer();
        latencies.push(performance.now() - started);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.all(inFlight);
  return latencies;
}

function peakRssMiB(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

async function bareP99(): Promise<number> {
  const port = await freePort();
  const child = startNode(
    'bare',
    ['--import', 'tsx', 'bench/bare-server.ts'],
    { ...process.env, BARE_PORT: String(port) },
    SERVER_CORE,
    ROOT,
  );
  await child.waitFor(/listening/i, 30_000);
  const server = { child, url: `http://127.0.0.1:${port}`, key: 'none' };
  let stop = false;
  setTimeout(() => (stop = true), 3000);
  const latencies = await probe(
    server,
    () => '/bare',
    () => stop,
  );
  await child.stop();
  return percentile(latencies, 99);
}

interface Row {
  database: string;
  n: number;
  processes: number;
  seedFirst: number;
  seedLast: number;
  /** Subscriptions per second through seed documents (NaN when all went through the API). */
  seedBulk: number;
  renewals: number;
  seconds: number;
  serverCpu: number;
  postgresCpu: number;
  rss: number;
  p50: number;
  p99: number;
  gets: number;
  load: string;
  /** Database bytes per seeded subscription, and per renewal of the advance. */
  bytesPerSubscription: number;
  bytesPerRenewal: number;
}

/** The database's size in bytes: the SQLite file and its WAL, or PostgreSQL's pg_database_size. */
async function databaseBytes(databaseUrl: string, dbName: string | undefined): Promise<number> {
  if (dbName) {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const res = await client.query<{ size: string }>('select pg_database_size($1) as size', [dbName]);
    await client.end();
    return Number(res.rows[0]!.size);
  }
  const file = databaseUrl.slice('sqlite:'.length);
  return [file, `${file}-wal`].filter((f) => existsSync(f)).reduce((sum, f) => sum + statSync(f).size, 0);
}

async function run(database: 'sqlite' | 'postgres'): Promise<Row> {
  const temp = mkdtempSync(join(tmpdir(), 'paddock-engine-'));
  const profileDir = options['cpu-prof'] ? join(temp, 'profiles') : undefined;
  let dbName: string | undefined;
  let databaseUrl = `sqlite:${join(temp, 'paddock.db')}`;
  if (database === 'postgres') {
    dbName = `paddock_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    databaseUrl = POSTGRES_URL.replace(/\/[^/]*$/, `/${dbName}`);
  }
  const servers: Server[] = [];
  try {
    const count = database === 'postgres' ? Number(options.processes) : 1;
    servers.push(await startServer('paddock-1', databaseUrl, profileDir));
    const [server] = servers as [Server];
    server.key = (await server.child.waitFor(/sandbox API key: (\S+)/))[1]!;
    for (let i = 2; i <= count; i++) servers.push(await startServer(`paddock-${i}`, databaseUrl));
    console.log(`${database}: seeding ${N} subscriptions`);
    const empty = await databaseBytes(databaseUrl, dbName);
    const seeded = await seed(server, N);
    const afterSeeding = await databaseBytes(databaseUrl, dbName);
    const before = snapshot(server.child.process.pid);
    const started = performance.now();
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const answer = await call(server, 'POST', '/test-helpers/clock/advance', { by: 'P1M', wait: false });
    let state = answer;
    let done = state.status === 'ready';
    const probing = probe(
      server,
      () => `/customers/${seeded.customers[Math.floor(Math.random() * seeded.customers.length)]}`,
      () => done,
    );
    while (state.status !== 'ready') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await call(server, 'GET', '/test-helpers/clock');
    }
    const seconds = (performance.now() - started) / 1000;
    const toUs = Number(process.hrtime.bigint() / 1000n);
    done = true;
    const after = snapshot(server.child.process.pid);
    const latencies = await probing;
    const afterAdvance = await databaseBytes(databaseUrl, dbName);
    const cpu = shares(before, after);
    const row: Row = {
      database: database === 'sqlite' ? 'SQLite (file, WAL)' : 'PostgreSQL',
      n: N,
      processes: servers.length,
      seedFirst: seeded.firstRate,
      seedLast: seeded.lastRate,
      seedBulk: seeded.bulkRate,
      renewals: N,
      seconds,
      serverCpu: cpu.server,
      postgresCpu: cpu.postgres,
      rss: peakRssMiB(server.child.process.pid),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      gets: latencies.length,
      load: loadAverage(),
      bytesPerSubscription: (afterSeeding - empty) / N,
      bytesPerRenewal: (afterAdvance - afterSeeding) / N,
    };
    await stopAll();
    if (profileDir) {
      const window = { name: 'the advance', fromUs, toUs, requests: N };
      for (const file of readdirSync(profileDir)) console.log(summariseProfile(join(profileDir, file), window, 40));
    }
    return row;
  } finally {
    await stopAll();
    rmSync(temp, { recursive: true, force: true });
    if (dbName) {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  }
}

function render(rows: Row[], bare: number): string {
  const lines = [
    '',
    `### Billing engine (issue #10), ${new Date().toISOString()}, \`npm run bench:engine -- --n ${N}\``,
    '',
    `Bare Fastify route, GET every 20 ms for 3 s: p99 ${bare.toFixed(2)} ms.`,
    '',
    '| Database | processes | subscriptions | seeding /s through the API, first | seeding /s through the API, last | seed documents /s | renewals /s | advance s | server CPU | server CPU ms per renewal | PostgreSQL CPU | peak RSS MiB | GETs during advance | p50 ms | p99 ms | p99 ÷ bare p99 | bytes per subscription | bytes per renewal | load avg |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.database} | ${r.processes} | ${r.n} | ${r.seedFirst.toFixed(0)} | ${r.seedLast.toFixed(0)} | ${Number.isNaN(r.seedBulk) ? '' : r.seedBulk.toFixed(0)} | ${(r.renewals / r.seconds).toFixed(0)} | ${r.seconds.toFixed(1)} | ${(r.serverCpu * 100).toFixed(0)}% | ${((r.serverCpu * r.seconds * 1000) / r.renewals).toFixed(2)} | ${(r.postgresCpu * 100).toFixed(0)}% | ${r.rss.toFixed(0)} | ${r.gets} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${(r.p99 / bare).toFixed(1)} | ${r.bytesPerSubscription.toFixed(0)} | ${r.bytesPerRenewal.toFixed(0)} | ${r.load} |`,
    );
  }
  return lines.join('\n') + '\n';
}

process.on('SIGINT', () => {
  killAllNow();
  process.exit(130);
});

const rows: Row[] = [];
try {
  const bare = await bareP99();
  for (const database of ['sqlite', 'postgres'] as const) {
    if (options.only && options.only !== database) continue;
    rows.push(await run(database));
  }
  const table = render(rows, bare);
  console.log(table);
  if (options.append) appendFileSync(join(ROOT, 'BENCHMARKS.md'), table);
} finally {
  await stopAll();
}
