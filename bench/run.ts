// `npm run bench`: requests per second and p99 latency of customer operations (get by id; rename then get; first
// list page; create) and of the reads integrations make most (a subscription, a transaction with includes) on
// SQLite and PostgreSQL, beside a bare Fastify route answering a JSON body of the same size; and how long
// `paddock serve` takes from its start to its first answer, with its memory once idle. Writes BENCHMARKS.md.
//
// Each server runs in its own child process pinned to core 0; this process (the load generator, autocannon)
// pins itself to core 1, so the two never share an event loop or a core. Paddock is started the way users
// start it: `node bin/paddock.mjs serve` with PORT and DATABASE_URL.
//
// Options: --duration <s> (measured seconds per scenario, default 8), --warmup <s> (default 2),
// --connections <n> (default 32), --only sqlite|postgres,
// --scenario get|mixed|list|create|subscription|transaction|bare|startup (repeatable),
// --wait-quiet <s> (wait at most this long for other work on the machine to stop, default 60),
// --cpu-prof (profile the server children into a temporary folder and summarise each measured run; only a
// full default run without profiling rewrites BENCHMARKS.md).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type AutocannonOptions } from 'autocannon';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describeMachine } from './machine.js';
import { loadAverage, machineBusyCores, shares, snapshot } from './cpu.js';
import {
  LOAD_CORE,
  SERVER_CORE,
  freePort,
  hasTaskset,
  killAllNow,
  pinSelf,
  startNode,
  stopAll,
  type Child,
} from './processes.js';
import { summariseProfile, type ProfileWindow } from './profile-summary.js';
import { measureStartup, type StartupReport } from './startup.js';
import {
  READ_AFTER_WRITE,
  SUBSCRIPTION_GET,
  TRANSACTION_GET,
  TRANSACTION_INCLUDES,
  percent,
  renderReport,
  serverMicrosPerRequest,
  type EngineReport,
  type Measurement,
} from './report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPORT_FILE = join(ROOT, 'BENCHMARKS.md');
const COMMAND = 'npm run bench';
const SEED_CUSTOMERS = 1000;
const SEED_CONCURRENCY = 16;
/** Subscriptions (each from a paid checkout of two monthly prices) for the subscription and transaction reads. */
const SEED_SUBSCRIPTIONS = 50;
/** Cores other work may keep busy for the machine to count as quiet. */
const QUIET_CORES = 0.25;
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    only: { type: 'string' },
    scenario: { type: 'string', multiple: true },
    'cpu-prof': { type: 'boolean', default: false },
    'wait-quiet': { type: 'string', default: '60' },
  },
});
const duration = Number(options.duration);
const warmup = Number(options.warmup);
const waitQuiet = Number(options['wait-quiet']);
const connections = Number(options.connections);
const scenarios = new Set(
  options.scenario ?? ['get', 'mixed', 'list', 'create', 'subscription', 'transaction', 'bare', 'startup'],
);
/** Starts of `node bin/paddock.mjs serve` timed (the median is reported), and of `paddock --help`. */
const STARTS = 7;
const engines = options.only ? [options.only] : ['sqlite', 'postgres'];
/** Only a full default run may replace BENCHMARKS.md. */
const partial =
  options.only !== undefined ||
  options.scenario !== undefined ||
  options['cpu-prof'] === true ||
  duration !== 8 ||
  warmup !== 2 ||
  connections !== 32;
const profileDir = options['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'paddock-bench-profiles-')) : undefined;

const startedAt = new Date();
console.log(`bench started at ${startedAt.toISOString()}`);
const machine = describeMachine();
const loadBefore = loadAverage();
console.log(`load average before the run: ${loadBefore}`);
const pinned = pinSelf(LOAD_CORE);
console.log(
  pinned
    ? `load generator pinned to core ${LOAD_CORE}; servers run on core ${SERVER_CORE}`
    : 'taskset unavailable: processes are not pinned to cores',
);

const workDir = mkdtempSync(join(tmpdir(), 'paddock-bench-'));
const runTag = randomBytes(4).toString('hex');
let cleanupSteps: Array<() => Promise<void>> = [];

async function cleanup(): Promise<void> {
  await stopAll();
  const steps = cleanupSteps.reverse();
  cleanupSteps = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  rmSync(workDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the servers and removing temporary files`);
    void cleanup().finally(() => process.exit(130));
  });
}
process.once('exit', () => {
  killAllNow();
  rmSync(workDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------

interface Paddock {
  child: Child;
  baseUrl: string;
  key: string;
}

function profileArgs(): string[] {
  return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
}

async function startPaddock(databaseUrl: string, label: string): Promise<Paddock> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl };
  // @NOTE the bootstrap key must be generated (and printed) on this fresh database, not read from the environment.
  delete env.PADDOCK_SANDBOX_API_KEY;
  delete env.PADDOCK_LIVE_API_KEY;
  const nodeArgs = [...profileArgs(), 'bin/paddock.mjs', 'serve'];
  const child = startNode(`paddock (${label})`, nodeArgs, env, SERVER_CORE, ROOT);
  const key = (await child.waitFor(/sandbox API key: (pdl_sdbx_\S+)/, 60_000))[1] as string;
  return { child, baseUrl: `http://127.0.0.1:${port}`, key };
}

async function startBare(body: string): Promise<{ child: Child; baseUrl: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, BARE_PORT: String(port), BARE_BODY: body };
  const nodeArgs = [...profileArgs(), '--import', 'tsx', 'bench/bare-server.ts'];
  const child = startNode('bare server', nodeArgs, env, SERVER_CORE, ROOT);
  await child.waitFor(/^bare listening/);
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

function headers(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
}

let emailCounter = 0;
function nextEmail(): string {
  emailCounter += 1;
  return `bench-${runTag}-${emailCounter}@example.com`;
}

/** Creates `count` customers through the API and returns their ids. */
async function seedCustomers(paddock: Paddock, count: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const n = next;
      const response = await fetch(`${paddock.baseUrl}/customers`, {
        method: 'POST',
        headers: headers(paddock.key),
        body: JSON.stringify({ email: nextEmail(), name: `Bench Customer ${n}`, locale: 'en' }),
      });
      const text = await response.text();
      if (response.status !== 201) throw new Error(`seeding: POST /customers answered ${response.status}: ${text}`);
      ids.push((JSON.parse(text) as { data: { id: string } }).data.id);
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
  return ids;
}

async function apiPost(
  paddock: Paddock,
  path: string,
  body: unknown,
  expected = 201,
): Promise<{ id: string } & Record<string, unknown>> {
  const response = await fetch(`${paddock.baseUrl}${path}`, {
    method: 'POST',
    headers: headers(paddock.key),
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`seeding: POST ${path} answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { data: { id: string } & Record<string, unknown> }).data;
}

/**
 * Subscriptions as integrations make them: a checkout transaction of two monthly prices for a customer with an
 * address, paid with the test card; answers the transactions' and the subscriptions' ids.
 */
async function seedSubscriptions(
  paddock: Paddock,
  customerIds: string[],
  count: number,
): Promise<{ transactionIds: string[]; subscriptionIds: string[] }> {
  const product = await apiPost(paddock, '/products', { name: 'Bench plan', tax_category: 'standard' });
  const prices = await Promise.all(
    ['Seat', 'Storage'].map((description, n) =>
      apiPost(paddock, '/prices', {
        product_id: product.id,
        description,
        unit_price: { amount: String(1000 * (n + 1)), currency_code: 'USD' },
        billing_cycle: { interval: 'month', frequency: 1 },
        tax_mode: 'external',
      }),
    ),
  );
  const transactionIds: string[] = [];
  const subscriptionIds: string[] = [];
  for (const customerId of customerIds.slice(0, count)) {
    const address = await apiPost(paddock, `/customers/${customerId}/addresses`, {
      country_code: 'US',
      postal_code: '10001',
    });
    const transaction = await apiPost(paddock, '/transactions', {
      items: prices.map((price, n) => ({ price_id: price.id, quantity: n + 1 })),
      customer_id: customerId,
      address_id: address.id,
    });
    const paid = await apiPost(paddock, `/test-helpers/transactions/${transaction.id}/pay`, {}, 200);
    transactionIds.push(transaction.id);
    subscriptionIds.push(String(paid.subscription_id));
  }
  return { transactionIds, subscriptionIds };
}

/** One call outside the load, to check the answer and learn its size. */
async function probe(url: string, init: RequestInit, expected: number): Promise<string> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== expected)
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}, expected ${expected}: ${text}`);
  return text;
}

type LoadOptions = Omit<AutocannonOptions, 'duration' | 'connections'>;

/** Measured stretches of each run, to cut the server profiles to them. */
const windows: ProfileWindow[] = [];

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function measure(name: string, server: Child, load: LoadOptions, bodyBytes: number): Promise<Measurement> {
  if (warmup > 0) await autocannon({ ...load, connections, duration: warmup });
  // @NOTE autocannon's own histogram keeps whole milliseconds; the response events carry the exact time.
  const latencies: number[] = [];
  const load1 = Number(loadAverage().split(' ')[0]);
  const before = snapshot(server.process.pid);
  const instance = autocannon({ ...load, connections, duration });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  const after = snapshot(server.process.pid);
  const ended = server.exitReason();
  if (ended) throw new Error(`${name}: the server under test ended during the run: ${ended}`);
  const sorted = Float64Array.from(latencies).sort();
  const measurement: Measurement = {
    name,
    reqPerSec: result.requests.average,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: result['2xx'] + result.non2xx,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bodyBytes,
    cpu: shares(before, after),
    load1,
  };
  windows.push({
    name,
    fromUs: Number(before.at / 1000n),
    toUs: Number(after.at / 1000n),
    requests: measurement.requests,
  });
  const cpu = measurement.cpu;
  console.log(
    `  ${name.padEnd(28)} ${measurement.reqPerSec.toFixed(0).padStart(7)} req/s   p50 ${measurement.p50.toFixed(2)} ms   ` +
      `p99 ${measurement.p99.toFixed(2)} ms   server ${serverMicrosPerRequest(measurement).toFixed(1)} µs/req   CPU: server ${percent(cpu.server)}, postgres ${percent(cpu.postgres)}, ` +
      `load ${percent(cpu.load)}, other ${percent(cpu.other)}` +
      (measurement.non2xx || measurement.errors
        ? `   (${measurement.non2xx} non-2xx, ${measurement.errors} errors)`
        : ''),
  );
  return measurement;
}

/** GETs `<collection>/<id><query>`, rotating through `ids`. */
function getById(paddock: Paddock, ids: string[], collection = '/customers', query = ''): LoadOptions {
  let i = 0;
  return {
    url: paddock.baseUrl,
    requests: [
      {
        method: 'GET',
        headers: headers(paddock.key),
        setupRequest: (request) => {
          i = (i + 1) % ids.length;
          return { ...request, path: `${collection}/${ids[i]}${query}` };
        },
      },
    ],
  };
}

/**
 * Each connection renames a customer and then reads it: every read follows a write, so none is answered from
 * kept rows (on SQLite any write changes the change token) and the row shows what an uncached read costs.
 */
function readAfterWrite(paddock: Paddock, ids: string[]): LoadOptions {
  let i = 0;
  let renames = 0;
  return {
    url: paddock.baseUrl,
    requests: [
      {
        method: 'PATCH',
        headers: headers(paddock.key),
        setupRequest: (request, context) => {
          i = (i + 1) % ids.length;
          renames += 1;
          (context as { id?: string }).id = ids[i];
          return { ...request, path: `/customers/${ids[i]}`, body: JSON.stringify({ name: `Renamed ${renames}` }) };
        },
      },
      {
        method: 'GET',
        headers: headers(paddock.key),
        setupRequest: (request, context) => ({ ...request, path: `/customers/${(context as { id?: string }).id}` }),
      },
    ],
  };
}

function firstListPage(paddock: Paddock): LoadOptions {
  return { url: paddock.baseUrl, requests: [{ method: 'GET', path: '/customers', headers: headers(paddock.key) }] };
}

function create(paddock: Paddock): LoadOptions {
  return {
    url: paddock.baseUrl,
    requests: [
      {
        method: 'POST',
        path: '/customers',
        headers: headers(paddock.key),
        // @NOTE Paddle rejects a second customer with the same email, so every request gets its own.
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ email: nextEmail(), name: 'Bench Customer', locale: 'en' }),
        }),
      },
    ],
  };
}

/** The get-by-id body of this engine, to size the bare route's answer. */
let bareBody: string | undefined;

async function runEngine(engine: string, databaseUrl: string, label: string): Promise<EngineReport> {
  console.log(`\n${label}: starting Paddock and seeding ${SEED_CUSTOMERS} customers`);
  const paddock = await startPaddock(databaseUrl, engine);
  const seedStart = performance.now();
  const ids = await seedCustomers(paddock, SEED_CUSTOMERS);
  console.log(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const getBody = await probe(`${paddock.baseUrl}/customers/${ids[0]}`, { headers: headers(paddock.key) }, 200);
  const listBody = await probe(`${paddock.baseUrl}/customers`, { headers: headers(paddock.key) }, 200);
  const createBody = await probe(
    `${paddock.baseUrl}/customers`,
    {
      method: 'POST',
      headers: headers(paddock.key),
      body: JSON.stringify({ email: nextEmail(), name: 'Bench Customer', locale: 'en' }),
    },
    201,
  );
  const listed = (JSON.parse(listBody) as { data: unknown[] }).data.length;
  const reads = scenarios.has('subscription') || scenarios.has('transaction');
  const seeded = reads ? await seedSubscriptions(paddock, ids, SEED_SUBSCRIPTIONS) : undefined;

  const results: Measurement[] = [];
  // @NOTE the bare route runs while Paddock sits idle, right before Paddock's own runs on the same core.
  if (scenarios.has('bare') && bareBody === undefined) {
    bareBody = getBody;
    const bare = await startBare(getBody);
    const bareText = await probe(`${bare.baseUrl}/bare`, {}, 200);
    results.push(
      await measure('bare Fastify route', bare.child, { url: `${bare.baseUrl}/bare` }, Buffer.byteLength(bareText)),
    );
    await bare.child.stop();
  }
  if (scenarios.has('get'))
    results.push(
      await measure('GET /customers/{id}', paddock.child, getById(paddock, ids), Buffer.byteLength(getBody)),
    );
  if (scenarios.has('mixed')) {
    results.push(
      await measure(READ_AFTER_WRITE, paddock.child, readAfterWrite(paddock, ids), Buffer.byteLength(getBody)),
    );
  }
  if (scenarios.has('list'))
    results.push(
      await measure(
        `GET /customers (${listed} per page)`,
        paddock.child,
        firstListPage(paddock),
        Buffer.byteLength(listBody),
      ),
    );
  if (scenarios.has('create'))
    results.push(await measure('POST /customers', paddock.child, create(paddock), Buffer.byteLength(createBody)));
  if (seeded && scenarios.has('subscription')) {
    const body = await probe(
      `${paddock.baseUrl}/subscriptions/${seeded.subscriptionIds[0]}`,
      { headers: headers(paddock.key) },
      200,
    );
    results.push(
      await measure(
        SUBSCRIPTION_GET,
        paddock.child,
        getById(paddock, seeded.subscriptionIds, '/subscriptions'),
        Buffer.byteLength(body),
      ),
    );
  }
  if (seeded && scenarios.has('transaction')) {
    const query = `?include=${TRANSACTION_INCLUDES}`;
    const body = await probe(
      `${paddock.baseUrl}/transactions/${seeded.transactionIds[0]}${query}`,
      { headers: headers(paddock.key) },
      200,
    );
    results.push(
      await measure(
        TRANSACTION_GET,
        paddock.child,
        getById(paddock, seeded.transactionIds, '/transactions', query),
        Buffer.byteLength(body),
      ),
    );
  }

  await paddock.child.stop();
  return { engine, label, results };
}

async function sqliteVersion(): Promise<string> {
  const db = new SQLite(':memory:');
  try {
    return (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

/** Other work on the machine distorts every number: wait (a bounded time) until it is nearly idle. */
async function waitForQuietMachine(): Promise<string> {
  const deadline = performance.now() + waitQuiet * 1000;
  let busy = await machineBusyCores(1000);
  if (!Number.isFinite(busy)) return 'unknown (no /proc)';
  while (busy > QUIET_CORES && performance.now() < deadline) {
    console.log(`machine busy (${busy.toFixed(2)} cores in use by other work); waiting for it to quiet down`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    busy = await machineBusyCores(1000);
  }
  const verdict = busy > QUIET_CORES ? 'busy, started anyway' : 'quiet';
  console.log(`machine ${verdict}: ${busy.toFixed(2)} cores in use by other work`);
  return `${busy.toFixed(2)} cores in use by other work just before the first run (${verdict})`;
}

async function main(): Promise<void> {
  const quietness = await waitForQuietMachine();
  const reports: EngineReport[] = [];
  const skipped: string[] = [];
  let startup: StartupReport | undefined;
  if (scenarios.has('startup')) {
    console.log(`\nstart-up: ${STARTS} starts of bin/paddock.mjs serve on one SQLite file`);
    startup = await measureStartup(ROOT, `sqlite:${join(workDir, 'startup.db')}`, STARTS);
    console.log(
      `  ready in ${startup.readyMs.toFixed(0)} ms (median; ${startup.readyAll.map((ms) => ms.toFixed(0)).join(', ')}), ` +
        `${startup.readyCpuMs.toFixed(0)} ms CPU, idle RSS ${startup.idleRssMb.toFixed(0)} MB; ` +
        `paddock --help ${startup.helpMs.toFixed(0)} ms; node -e 0 ${startup.nodeMs.toFixed(0)} ms`,
    );
  }

  if (engines.includes('sqlite')) {
    const file = join(workDir, 'paddock.db');
    reports.push(await runEngine('sqlite', `sqlite:${file}`, `SQLite ${await sqliteVersion()} (file, WAL)`));
  }

  if (engines.includes('postgres')) {
    const adminUrl = process.env.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL;
    const admin = new pg.Client({ connectionString: adminUrl });
    let reachable = true;
    try {
      await admin.connect();
    } catch (error) {
      reachable = false;
      skipped.push(
        `PostgreSQL at ${adminUrl} was not reachable (${error instanceof Error ? error.message : String(error)})`,
      );
      console.error(skipped.at(-1));
    }
    if (reachable) {
      // @NOTE a fresh database rather than a schema: with `?options=-c search_path=…` in DATABASE_URL the
      // migrator finds Kysely's tables of any other schema (say a test's) and skips creating its own.
      const database = `paddock_bench_${runTag}`;
      const version = ((await admin.query('show server_version')).rows[0] as { server_version: string }).server_version;
      await admin.query(`create database ${database}`);
      cleanupSteps.push(async () => {
        await admin.query(`drop database if exists ${database} with (force)`);
        await admin.end();
      });
      const serverUrl = new URL(adminUrl);
      serverUrl.pathname = `/${database}`;
      reports.push(await runEngine('postgres', serverUrl.href, `PostgreSQL ${version.split(' ')[0]} (loopback TCP)`));
    }
  }

  await cleanup();
  console.log(`\nbench finished in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);

  if (profileDir) {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      console.log(`\nprofile ${join(profileDir, file)}`);
      for (const window of windows) {
        const summary = summariseProfile(join(profileDir, file), window);
        if (!summary.startsWith('no samples')) console.log(`\n${summary}`);
      }
    }
  }
  if (partial) {
    console.log(`\npartial or profiled run: ${REPORT_FILE} left unchanged`);
    return;
  }
  const markdown = renderReport({
    startedAt,
    machine,
    loadAverage: loadBefore,
    quietness,
    command: COMMAND,
    pinned,
    taskset: hasTaskset(),
    durationS: duration,
    warmupS: warmup,
    connections,
    seeded: SEED_CUSTOMERS,
    seededSubscriptions: SEED_SUBSCRIPTIONS,
    startup,
    engines: reports,
    skipped,
  });
  writeFileSync(REPORT_FILE, markdown);
  console.log(`wrote ${REPORT_FILE}`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  await cleanup();
  process.exit(1);
});
