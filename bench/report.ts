// Renders BENCHMARKS.md from one run's measurements.
import { readFileSync } from 'node:fs';
import type { CpuShares } from './cpu.js';
import type { Machine } from './machine.js';
import type { StartupReport } from './startup.js';

export interface Measurement {
  name: string;
  /** Mean of the per-second request counts autocannon sampled. */
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  bodyBytes: number;
  /** Where the CPU went during the measured run, in shares of one core. */
  cpu: CpuShares;
  /** The machine's 1-minute load average when the row started (the machine is shared). */
  load1: number;
}

export interface EngineReport {
  engine: string;
  label: string;
  results: Measurement[];
}

export interface RunReport {
  startedAt: Date;
  machine: Machine;
  loadAverage: string;
  quietness: string;
  command: string;
  pinned: boolean;
  taskset: boolean;
  durationS: number;
  warmupS: number;
  connections: number;
  seeded: number;
  seededSubscriptions: number;
  startup: StartupReport | undefined;
  engines: EngineReport[];
  skipped: string[];
}

const TARGET = 0.5;

/** The row whose reads each follow a write, so none is answered from kept rows. */
export const READ_AFTER_WRITE = 'PATCH, then GET /customers/{id}';
/** The read apps make on every request of theirs: is the subscription active? */
export const SUBSCRIPTION_GET = 'GET /subscriptions/{id}';
/** What integrations ask a transaction for along with it. */
export const TRANSACTION_INCLUDES = 'customer,address';
export const TRANSACTION_GET = `GET /transactions/{id}?include=${TRANSACTION_INCLUDES}`;

/** Issue #13's targets, as ratios to the bare route's req/s on the same run (SQLite file unless said). */
const TARGETS: ReadonlyArray<{ prefix: string; engine: string; ratio: number }> = [
  { prefix: 'GET /customers (', engine: 'sqlite', ratio: 0.17 },
  { prefix: 'POST /customers', engine: 'sqlite', ratio: 0.25 },
  { prefix: SUBSCRIPTION_GET, engine: 'sqlite', ratio: 0.5 },
];
/** PostgreSQL get-by-id: an absolute target (req/s) from the issue, as the bare route does not touch a database. */
const POSTGRES_GET_TARGET = 10_000;
const STARTUP_TARGET_MS = 500;
const RSS_TARGET_MB = 120;

/** CPU time the server process spent per answered request: unlike req/s, barely moved by other load. */
export function serverMicrosPerRequest(m: Measurement): number {
  return (m.cpu.server * 1e6) / m.reqPerSec;
}

function microsPerRequest(m: Measurement): string {
  const micros = serverMicrosPerRequest(m);
  return Number.isFinite(micros) ? micros.toFixed(1) : 'n/a';
}

export function percent(share: number): string {
  return Number.isFinite(share) ? `${Math.round(share * 100)}%` : 'n/a';
}

function find(engines: EngineReport[], engine: string | undefined, prefix: string): Measurement | undefined {
  for (const report of engines) {
    if (engine !== undefined && report.engine !== engine) continue;
    const found = report.results.find((m) => m.name.startsWith(prefix));
    if (found) return found;
  }
  return undefined;
}

/** Other work above this share of a core during a row makes its numbers suspect. */
const DISTURBED = 0.2;

function disturbed(run: RunReport): string[] {
  const rows = run.engines.flatMap((report) =>
    report.results
      .filter((m) => m.cpu.other > DISTURBED)
      .map((m) => `${m.name} on ${m.name.startsWith('bare') ? 'no database' : report.label}`),
  );
  return rows.length
    ? [`Disturbed by other work on the machine (more than ${DISTURBED * 100}% of a core): ${rows.join('; ')}.`, '']
    : [];
}

function verdict(run: RunReport): string[] {
  const bare = find(run.engines, undefined, 'bare');
  const lines: string[] = [];
  for (const report of run.engines) {
    const get = find([report], report.engine, 'GET /customers/{id}');
    if (!bare || !get) continue;
    const ratio = get.reqPerSec / bare.reqPerSec;
    const target =
      report.engine === 'sqlite' ? ` Target (SQLite, ≥ ${TARGET}): **${ratio >= TARGET ? 'met' : 'not met'}**.` : '';
    const getMicros = serverMicrosPerRequest(get);
    const bareMicros = serverMicrosPerRequest(bare);
    lines.push(
      `- ${report.label}: get-by-id ${get.reqPerSec.toFixed(0)} req/s ÷ bare route ${bare.reqPerSec.toFixed(0)} req/s = **${ratio.toFixed(2)}**.${target} ` +
        `In server CPU per request, ${getMicros.toFixed(1)} µs against ${bareMicros.toFixed(1)} µs (bare ÷ get-by-id = ${(bareMicros / getMicros).toFixed(2)}).`,
    );
  }
  if (lines.length === 0) lines.push('- Not computed: the run did not include both get-by-id and the bare route.');
  const sqliteGet = find(run.engines, 'sqlite', 'GET /customers/{id}');
  const sqliteMixed = find(run.engines, 'sqlite', READ_AFTER_WRITE);
  if (sqliteGet && sqliteMixed) {
    lines.push(
      `- On SQLite, get-by-id answers a row it has already read while nothing has written to the database since ` +
        `(any write, by any process, makes it read again), and the get-by-id row reads the same 1000 customers ` +
        `over and over. When every read follows a write (the "${READ_AFTER_WRITE}" row), nothing is kept: ` +
        `${serverMicrosPerRequest(sqliteMixed).toFixed(1)} µs of server CPU per request, PATCH and GET averaged.`,
    );
  }
  if (find(run.engines, 'sqlite', 'GET /customers (')) {
    lines.push(
      '- The list row asks for the same first page over and over with nothing written in between, so on SQLite it ' +
        'is answered from the page kept under the change token (db/pagination.ts), as get-by-id is; the first ' +
        'read after a write reads the 51 rows and counts the matches (from the (tenant, status, id) index) again.',
    );
  }
  return lines;
}

/** `m`'s req/s and server CPU per request as ratios to the bare route's (higher is better for both). */
function ratios(m: Measurement, bare: Measurement | undefined): { throughput: string; cpu: string } {
  if (!bare) return { throughput: 'n/a', cpu: 'n/a' };
  return {
    throughput: (m.reqPerSec / bare.reqPerSec).toFixed(3),
    cpu: (serverMicrosPerRequest(bare) / serverMicrosPerRequest(m)).toFixed(3),
  };
}

/**
 * The targets are ratios of req/s, which equal ratios of server CPU per request only while the server is
 * the bottleneck (near 100% of its core). On a shared machine it often is not, so the verdict is on the CPU ratio
 * (bare ÷ row), which other load barely moves; the req/s ratio is shown beside it.
 */
function targets(run: RunReport): string[] {
  const bare = find(run.engines, undefined, 'bare');
  const lines: string[] = [];
  for (const target of TARGETS) {
    const m = find(run.engines, target.engine, target.prefix);
    if (!m || !bare) continue;
    const cpuRatio = serverMicrosPerRequest(bare) / serverMicrosPerRequest(m);
    lines.push(
      `- ${m.name} (${target.engine}): server CPU ${serverMicrosPerRequest(m).toFixed(1)} µs per request, ` +
        `**${cpuRatio.toFixed(3)}** × the bare route's ${serverMicrosPerRequest(bare).toFixed(1)} µs (target ≥ ${target.ratio}: ` +
        `**${cpuRatio >= target.ratio ? 'met' : 'not met'}**); req/s ${ratios(m, bare).throughput} × the bare route's.`,
    );
  }
  const pgGet = find(run.engines, 'postgres', 'GET /customers/{id}');
  if (pgGet) {
    const postgresMicros = (pgGet.cpu.postgres * 1e6) / pgGet.reqPerSec;
    const total = serverMicrosPerRequest(pgGet) + postgresMicros;
    lines.push(
      `- GET /customers/{id} (postgres): ${Math.round(pgGet.reqPerSec)} req/s (target ≥ ${POSTGRES_GET_TARGET}: ` +
        `**${pgGet.reqPerSec >= POSTGRES_GET_TARGET ? 'met' : 'not met'}**); ${serverMicrosPerRequest(pgGet).toFixed(1)} µs of server CPU and ` +
        `${postgresMicros.toFixed(1)} µs of PostgreSQL CPU per request (every \`postgres\` process of the machine, other users' included): ` +
        `${total.toFixed(0)} µs in all, so two cores serve at most ${Math.round(2e6 / total)} req/s.`,
    );
  }
  if (run.startup) {
    const { readyMs, readyCpuMs, idleRssMb } = run.startup;
    lines.push(
      `- Start to ready: ${readyCpuMs.toFixed(0)} ms of CPU (target < ${STARTUP_TARGET_MS} ms: **${readyCpuMs < STARTUP_TARGET_MS ? 'met' : 'not met'}**; ` +
        `the wall time, ${readyMs.toFixed(0)} ms, is that CPU stretched by the machine's other load); idle RSS ${idleRssMb.toFixed(0)} MB ` +
        `(target < ${RSS_TARGET_MB}: **${idleRssMb < RSS_TARGET_MB ? 'met' : 'not met'}**).`,
    );
  }
  return lines.length ? lines : ['- Not computed: the run did not include these rows.'];
}

/** Earlier figures kept by hand (bench/history.md), appended to every report so before/after stay side by side. */
function history(): string[] {
  try {
    return [readFileSync(new URL('./history.md', import.meta.url), 'utf8').trimEnd(), ''];
  } catch {
    return [];
  }
}

function startupSection(startup: StartupReport | undefined): string[] {
  if (!startup) return [];
  return [
    '## Start-up',
    '',
    `\`node bin/paddock.mjs serve\` (what \`npm start\` and \`npx paddock\` run) started ${startup.runs} times on one migrated SQLite ` +
      'file, pinned to the server core; medians:',
    '',
    '| What | Median |',
    '|---|---:|',
    `| start to the first 200 of \`GET /healthz\` (wall) | ${startup.readyMs.toFixed(0)} ms |`,
    `| CPU the process used until then (all threads) | ${startup.readyCpuMs.toFixed(0)} ms |`,
    `| resident memory 1 s later, idle | ${startup.idleRssMb.toFixed(0)} MB |`,
    `| \`paddock --help\` (wall) | ${startup.helpMs.toFixed(0)} ms |`,
    `| \`node -e 0\` (Node's own start, the floor) | ${startup.nodeMs.toFixed(0)} ms |`,
    '',
    `Each start (ms): ${startup.readyAll.map((ms) => ms.toFixed(0)).join(', ')}.`,
    '',
  ];
}

export function renderReport(run: RunReport): string {
  const { machine } = run;
  const bare = find(run.engines, undefined, 'bare');
  const rows = run.engines.flatMap((report) =>
    report.results.map((m) => {
      const database = m.name.startsWith('bare') ? 'none' : report.label;
      const failures = m.non2xx + m.errors === 0 ? '0' : `**${m.non2xx} / ${m.errors}**`;
      const ratio = ratios(m, bare);
      return (
        `| ${m.name} | ${database} | ${m.bodyBytes} | ${Math.round(m.reqPerSec)} | ${ratio.throughput} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ` +
        `${m.requests} | ${failures} | ${microsPerRequest(m)} | ${ratio.cpu} | ${percent(m.cpu.server)} | ${percent(m.cpu.postgres)} | ${percent(m.cpu.load)} | ${percent(m.cpu.other)} | ${m.load1.toFixed(2)} |`
      );
    }),
  );
  const pinning = run.pinned
    ? 'The server under test runs alone on core 0 (`taskset -c 0`) and the load generator on core 1 (`taskset -a -c -p 1`).'
    : run.taskset
      ? 'taskset exists but pinning failed, so server and load generator shared the cores freely.'
      : 'taskset was not available, so server and load generator shared the cores freely.';

  return [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (bench/run.ts); a new run overwrites this file. -->',
    '',
    `Measured ${run.startedAt.toISOString()} with \`${run.command}\`.`,
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores (\`nproc\`)`,
    `- Memory: ${machine.memory}`,
    `- OS: ${machine.os}`,
    `- Node: ${machine.node}`,
    `- Load average when the run started (1, 5, 15 min): ${run.loadAverage}; ${run.quietness}`,
    '',
    '## Results',
    '',
    `${run.connections} connections, ${run.durationS} s measured per row after a ${run.warmupS} s warm-up that is not counted; ` +
      `${run.seeded} customers created through the API before the first row of each database, and ` +
      `${run.seededSubscriptions} subscriptions (a paid checkout of two monthly prices each) for the subscription and transaction rows.`,
    '',
    '| Scenario | Database | Response bytes | req/s (average) | × bare (req/s) | p50 (ms) | p99 (ms) | Requests | non-2xx / errors | Server CPU µs per request | × bare (CPU per request, bare ÷ row) | CPU server | CPU PostgreSQL | CPU load gen. | CPU other | load (1 min) at the start |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...startupSection(run.startup),
    '## Targets of issue #13 (ratios to the bare route of this run)',
    '',
    ...targets(run),
    '',
    ...disturbed(run),
    ...run.skipped.map((s) => `Not run: ${s}.`),
    ...(run.skipped.length ? [''] : []),
    '## Target: get-by-id at no less than half the bare route',
    '',
    ...verdict(run),
    '',
    ...history(),
    '## Method',
    '',
    'Paddock is started as users start it, `node bin/paddock.mjs serve`, with `PORT` and `DATABASE_URL` ' +
      'in the environment: first a fresh SQLite file in a temporary folder (WAL, the embedded default), then ' +
      'PostgreSQL in a freshly created database (`paddock_bench_<random>`, dropped afterwards). The sandbox key is read from the line the server prints. ' +
      'Each server is a child process; autocannon drives it from the benchmark process through 127.0.0.1 with ' +
      `keep-alive connections and no pipelining. ${pinning} ` +
      'get-by-id rotates through the seeded customers; in the PATCH-then-GET row each connection renames a ' +
      'customer and then reads it, in turn; the list row asks for the first page with the default ' +
      '`per_page`; every create sends a new email address; the subscription and transaction rows rotate through ' +
      'the seeded subscriptions and their first transactions (the key holds every permission, so each ' +
      'subscription carries `management_urls` with a fresh portal token). The bare route is a separate Fastify 5 process ' +
      '(bench/bare-server.ts) whose one GET route returns a copy of a real get-by-id response, so both send ' +
      'the same number of bytes. "req/s" is the mean of the per-second counts; p50 and p99 are latencies of ' +
      'the measured 2xx responses, to the microsecond. The CPU columns are CPU time over the measured run as ' +
      'a share of one core, from /proc: the server process (all its threads), every `postgres` process, the ' +
      'load generator, and whatever else ran on the machine (the machine is shared, so a large "other" means ' +
      'a disturbed row). A server near 100% is the bottleneck. PostgreSQL itself is not pinned: its ' +
      'processes run on either core. Numbers from a 2-core machine are for comparing runs on the same machine, not ' +
      'for capacity planning.',
    '',
  ].join('\n');
}
