// `npm run bench:sandboxes`: a sandbox per test (issue #15), as a suite meets it. A server started as users start it
// (`node bin/paddock.mjs serve`, SQLite file and PostgreSQL), then: sellers made by POST /test-helpers/sellers
// (one at a time, and 8 at once) per second; a seed of N subscriptions (each a customer with an address and a paid
// checkout) by POST /test-helpers/seed, in subscriptions per second; POST /test-helpers/reset of that sandbox; and a
// reset of a sandbox with a handful of entities beside the time to make a new seller. Each rate is also given as a
// ratio to a bare Fastify route's request rate measured the same way (one request at a time) in the same run.
//
// Options: --n <subscriptions> (default 1000), --sellers <count> (default 200), --only sqlite|postgres,
// --append (append the result table to BENCHMARKS.md and bench/history.md).
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadAverage, processSeconds } from './cpu.js';
import { monthlySeedDocument } from './seed-document.js';
import { SERVER_CORE, freePort, killAllNow, startNode, stopAll, type Child } from './processes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POSTGRES_URL = process.env.PADDOCK_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const { values: options } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    sellers: { type: 'string', default: '200' },
    only: { type: 'string' },
    append: { type: 'boolean', default: false },
  },
});
const N = Number(options.n);
/**
 * Resets of a 3-subscription sandbox timed, each beside a new seller (the medians are reported, and the server's
 * CPU per request: /proc counts it in 10 ms ticks, so it is summed over them all).
 */
const SMALL_RESETS = 61;
const SELLERS = Number(options.sellers);

interface Server {
  child: Child;
  url: string;
  key: string;
}

async function startServer(name: string, databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
  const child = startNode(name, ['bin/paddock.mjs', 'serve'], env, SERVER_CORE, ROOT);
  await child.waitFor(/Paddock listening on/, 60_000);
  const key = (await child.waitFor(/sandbox API key: (\S+)/))[1] ?? '';
  return { child, url: `http://127.0.0.1:${port}`, key };
}

async function startBare(): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const env = { ...process.env, BARE_PORT: String(port), BARE_BODY: '{"data":{"now":"2026-01-01T00:00:00Z"}}' };
  const child = startNode('bare', ['--import', 'tsx', 'bench/bare-server.ts'], env, SERVER_CORE, ROOT);
  await child.waitFor(/bare listening/, 60_000);
  return { child, url: `http://127.0.0.1:${port}/bare` };
}

/** A seller as POST /test-helpers/sellers answers it (the part read here). */
interface MadeSeller {
  sandbox: { api_key: string };
}

async function call<T = unknown>(url: string, key: string, method: string, body?: unknown): Promise<T | undefined> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as { data: T }).data : undefined;
}

/** Seconds `work` takes (wall clock). */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Requests per second of `count` GETs of the bare route, one at a time. */
async function bareRate(url: string, count = 2000): Promise<number> {
  for (let i = 0; i < 200; i += 1) await (await fetch(url)).arrayBuffer();
  const seconds = await timed(async () => {
    for (let i = 0; i < count; i += 1) await (await fetch(url)).arrayBuffer();
  });
  return count / seconds;
}

function seedDocument(count: number) {
  const tag = randomBytes(3).toString('hex');
  return monthlySeedDocument(count, (i) => `c${i}-${tag}@example.com`);
}

interface Row {
  database: string;
  bare: number;
  sellersSerial: number;
  sellersParallel: number;
  seedRate: number;
  seedSeconds: number;
  resetBig: number;
  resetSmall: number;
  createOne: number;
  createBeside: number;
  /** Server CPU seconds per small reset and per new seller (PostgreSQL's own CPU not counted). */
  resetCpu: number;
  createCpu: number;
}

async function runEngine(database: string, databaseUrl: string, bareUrl: string): Promise<Row> {
  console.log(`${database}: starting`);
  const server = await startServer(`paddock-${database}`, databaseUrl);
  try {
    const sellers = `${server.url}/test-helpers/sellers`;
    for (let i = 0; i < 20; i += 1) await call(sellers, server.key, 'POST', {});
    const bare = await bareRate(bareUrl);
    const each: number[] = [];
    const serial = await timed(async () => {
      for (let i = 0; i < SELLERS; i += 1) each.push(await timed(() => call(sellers, server.key, 'POST', {})));
    });
    let next = 0;
    const parallel = await timed(() =>
      Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next++ < SELLERS) await call(sellers, server.key, 'POST', {});
        }),
      ),
    );
    console.log(`${database}: ${SELLERS} sellers in ${serial.toFixed(2)} s (8 at once: ${parallel.toFixed(2)} s)`);

    const seller = await call<MadeSeller>(sellers, server.key, 'POST', {});
    const key = seller?.sandbox.api_key ?? '';
    const seedSeconds = await timed(() => call(`${server.url}/test-helpers/seed`, key, 'POST', seedDocument(N)));
    console.log(`${database}: seeded ${N} subscriptions in ${seedSeconds.toFixed(2)} s`);
    const resetBig = await timed(() => call(`${server.url}/test-helpers/reset`, key, 'POST'));

    const small = (await call<MadeSeller>(sellers, server.key, 'POST', {}))?.sandbox.api_key ?? '';
    const smallResets: number[] = [];
    const newSellers: number[] = [];
    const cpu = { reset: 0, seller: 0 };
    const pid = server.child.process.pid;
    /** Times `work` and adds the server's CPU seconds meanwhile to `cpu[kind]`. */
    const measured = async (kind: keyof typeof cpu, work: () => Promise<unknown>) => {
      const before = processSeconds(pid);
      const seconds = await timed(work);
      cpu[kind] += processSeconds(pid) - before;
      return seconds;
    };
    // @NOTE a reset and a new seller timed in turn, so both meet the same load (the machine is shared).
    for (let i = 0; i < SMALL_RESETS; i += 1) {
      await call(`${server.url}/test-helpers/seed`, small, 'POST', seedDocument(3));
      // @NOTE what the seed leaves the server to do (its garbage) is not the reset's.
      await new Promise((resolve) => setTimeout(resolve, 30));
      smallResets.push(await measured('reset', () => call(`${server.url}/test-helpers/reset`, small, 'POST')));
      newSellers.push(await measured('seller', () => call(sellers, server.key, 'POST', {})));
    }
    const bareAfter = await bareRate(bareUrl);
    return {
      database,
      bare: (bare + bareAfter) / 2,
      sellersSerial: SELLERS / serial,
      sellersParallel: SELLERS / parallel,
      seedRate: N / seedSeconds,
      seedSeconds,
      resetBig,
      resetSmall: median(smallResets),
      createOne: median(each),
      createBeside: median(newSellers),
      resetCpu: cpu.reset / SMALL_RESETS,
      createCpu: cpu.seller / SMALL_RESETS,
    };
  } finally {
    await server.child.stop();
  }
}

async function withPostgresDatabase<T>(work: (url: string) => Promise<T>): Promise<T | undefined> {
  const name = `paddock_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
  } catch {
    console.log('PostgreSQL does not answer: skipped');
    return undefined;
  }
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

function render(rows: Row[], load: string): string {
  const ms = (seconds: number) => (seconds * 1000).toFixed(1);
  const lines = [
    '',
    '## A sandbox per test (issue #15): `npm run bench:sandboxes`',
    '',
    `Measured ${new Date().toISOString()} (load average at the start: ${load}), ${SELLERS} sellers, a seed of ${N} ` +
      'subscriptions. Paddock as users start it; requests one at a time unless said; "÷ bare" is the rate ' +
      'divided by a bare Fastify route answered one request at a time in the same run, before and after each ' +
      'database (bench/bare-server.ts, the mean of the two). On a loaded machine (see the load average) every ' +
      'figure moves; compare rows of one run.',
    '',
    '| Database | bare route req/s | sellers made /s (÷ bare) | sellers /s, 8 at once | seed: subscriptions /s (÷ bare) | seed of ' +
      `${N} (s) | reset, ${N} subscriptions (ms) | reset, 3 subscriptions (ms, median of ${SMALL_RESETS}) | ` +
      'one new seller beside each reset (ms, median) | server CPU per small reset / per new seller (ms) | ' +
      'one new seller (ms, median of the serial run) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.database} | ${r.bare.toFixed(0)} | ${r.sellersSerial.toFixed(1)} (${(r.sellersSerial / r.bare).toFixed(3)}) | ` +
        `${r.sellersParallel.toFixed(1)} | ${r.seedRate.toFixed(1)} (${(r.seedRate / r.bare).toFixed(4)}) | ` +
        `${r.seedSeconds.toFixed(1)} | ${ms(r.resetBig)} | ${ms(r.resetSmall)} | ${ms(r.createBeside)} | ` +
        `${ms(r.resetCpu)} / ${ms(r.createCpu)} | ${ms(r.createOne)} |`,
    ),
    '',
    'A seeded subscription is a customer, an address, a transaction paid with a sandbox card and the subscription it ' +
      'makes, with their events, all in one database transaction (one unit of a batch transaction: events in ' +
      'multi-row inserts, catalog read once). A reset deletes every row of the sandbox from each data table of ' +
      '`db/tenant-tables.ts`: one statement on PostgreSQL, a statement per table on SQLite; a new seller is a ' +
      'seller, its sandbox and one key.',
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const load = loadAverage();
  const bare = await startBare();
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'paddock-bench-sandboxes-'));
  try {
    if (options.only !== 'postgres')
      rows.push(await runEngine('SQLite (file, WAL)', `sqlite:${join(dir, 'p.db')}`, bare.url));
    if (options.only !== 'sqlite') {
      const row = await withPostgresDatabase((url) => runEngine('PostgreSQL (loopback TCP)', url, bare.url));
      if (row) rows.push(row);
    }
  } finally {
    await bare.child.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const report = render(rows, load);
  console.log(report);
  // @NOTE also to bench/history.md, which `npm run bench` appends to the BENCHMARKS.md it rewrites.
  if (options.append)
    for (const file of ['BENCHMARKS.md', 'bench/history.md']) appendFileSync(join(ROOT, file), report);
}

main()
  .then(() => stopAll())
  .catch((error: unknown) => {
    console.error(error);
    killAllNow();
    process.exit(1);
  });
