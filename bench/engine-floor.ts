// `npm run bench:engine-floor`: what SQLite alone needs to write one renewal's rows (issue #10's floor). Makes a few
// real renewals in process (a migrated file, a seed document, one clock advance), copies the rows one renewal
// wrote (its transaction, payment attempt and subscription, and seven events with their snapshots), then writes
// copies of them with better-sqlite3 alone: prepared statements, 64 renewals per transaction each in a savepoint,
// the WAL as Paddock configures it, no JavaScript of Paddock's. Prints renewals per second and CPU per renewal.
// With --postgres, the same copies go to a fresh PostgreSQL schema through `pg` alone, as set-based as Paddock
// could make them: per batch of 32 renewals (Paddock's), one begin, per renewal a savepoint, the subscription's
// update and the release, then one multi-row insert each of the transactions, the attempts and the events, and
// the commit; named prepared statements, three connections side by side (Paddock's lanes). Prints renewals per
// second and the CPU PostgreSQL and this process used per renewal: the floor under `bench:engine`'s PostgreSQL rate.
//
// Options: --n <renewals written> (default 20000), --postgres.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { shares, snapshot } from './cpu.js';
import { buildApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { migrateToLatest, openDatabase } from '../src/db/database.js';
import { WallClock } from '../src/kernel/clock.js';
import { ensureBootstrapKey } from '../src/modules/api-keys/service.js';
import { DEFAULT_SELLER_ID, ensureSeller } from '../src/modules/sellers/service.js';
import { monthlySeedDocument } from './seed-document.js';

const { values: options } = parseArgs({
  options: { n: { type: 'string', default: '20000' }, postgres: { type: 'boolean', default: false } },
});
const POSTGRES_URL = process.env.PADDOCK_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const N = Number(options.n);
const PER_TRANSACTION = 64;

type Row = Record<string, unknown>;

/** A database file holding real renewals: 100 subscriptions seeded and renewed once through the app. */
async function fileWithRenewals(file: string): Promise<void> {
  const database = openDatabase(`sqlite:${file}`);
  await migrateToLatest(database.db);
  const clock = new WallClock();
  const [sandbox] = await ensureSeller(database.db, clock, DEFAULT_SELLER_ID, DEFAULT_SELLER_ID);
  const bootstrap = await ensureBootstrapKey(database.db, clock, sandbox!, undefined);
  if (bootstrap.kind !== 'generated') throw new Error('the new database already had a key');
  const config = readConfig({ PORT: '1', PADDOCK_PUBLIC_URL: 'http://127.0.0.1:1', LOG_LEVEL: 'silent' }, 1);
  const app = await buildApp({ db: database.db, dialect: database.dialect, config, wallClock: clock });
  const call = async (url: string, body: unknown) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${bootstrap.key}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  };
  await call(
    '/test-helpers/seed',
    monthlySeedDocument(100, (i) => `floor-${i}@example.com`),
  );
  await call('/test-helpers/clock/advance', { by: 'P1M', wait: true });
  await app.close();
  await database.close();
}

function insertOf(sqlite: SQLite.Database, table: string, row: Row): SQLite.Statement {
  const columns = Object.keys(row);
  return sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`);
}

/** The rows one real renewal wrote: its transaction, payment attempt, subscription and seven events. */
interface RenewalRows {
  transaction: Row;
  attempt: Row;
  subscription: Row;
  events: Row[];
}

function renewalRowsOf(sqlite: SQLite.Database): RenewalRows {
  const one = (query: string) => sqlite.prepare(query).get() as Row;
  const transaction = one("select * from transactions where origin = 'subscription_recurring' limit 1");
  const attempt = one(`select * from payment_attempts where transaction_id = '${String(transaction.id)}'`);
  const subscription = one(`select * from subscriptions where id = '${String(transaction.subscription_id)}'`);
  const events = sqlite
    .prepare(
      `select * from events where (event_type like 'transaction.%' and data like '%${String(transaction.id)}%')
         or (event_type = 'subscription.updated' and data like '%${String(subscription.id)}%') order by id desc limit 7`,
    )
    .all() as Row[];
  return { transaction, attempt, subscription, events };
}

function describeRows({ transaction, events }: RenewalRows): string {
  const eventBytes = events.reduce((sum, event) => sum + String(event.data).length, 0);
  return (
    `A renewal's rows: a transaction of ${JSON.stringify(transaction, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).length} bytes, ` +
    `its payment attempt, the subscription, ${events.length} events of ${eventBytes} bytes together.`
  );
}

function sqliteFloor(sqlite: SQLite.Database, { transaction, attempt, subscription, events }: RenewalRows): string {
  const insertTransaction = insertOf(sqlite, 'transactions', transaction);
  const insertAttempt = insertOf(sqlite, 'payment_attempts', attempt);
  const insertEvent = insertOf(sqlite, 'events', events[0]!);
  const changed = Object.keys(subscription).filter((column) => !['seller_id', 'environment', 'id'].includes(column));
  const updateSubscription = sqlite.prepare(
    `update subscriptions set ${changed.map((column) => `${column} = ?`).join(', ')}
       where seller_id = ? and environment = ? and id = ?`,
  );
  const updateTransaction = sqlite.prepare(
    `update transactions set ${Object.keys(transaction)
      .filter((column) => !['seller_id', 'environment', 'id'].includes(column))
      .map((column) => `${column} = ?`)
      .join(', ')} where seller_id = ? and environment = ? and id = ?`,
  );
  const subscriptionIds = sqlite.prepare('select id from subscriptions').pluck().all() as string[];
  let written = 0;
  const batch = sqlite.transaction((count: number) => {
    for (let i = 0; i < count; i++, written++) {
      const id = `floor${written}`;
      sqlite.exec('savepoint renewal');
      insertTransaction.run(...Object.values({ ...transaction, id: `txn_${id}` }));
      insertAttempt.run(...Object.values({ ...attempt, id: `att_${id}`, transaction_id: `txn_${id}` }));
      const { seller_id, environment, id: _transactionId, ...rest } = transaction;
      updateTransaction.run(...Object.values(rest), seller_id, environment, `txn_${id}`);
      const target = subscriptionIds[written % subscriptionIds.length];
      updateSubscription.run(...changed.map((column) => subscription[column]), seller_id, environment, target);
      sqlite.exec('release renewal');
      for (const event of events) insertEvent.run(...Object.values({ ...event, id: `evt_${id}_${String(event.id)}` }));
    }
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let done = 0; done < N; done += PER_TRANSACTION) batch.immediate(Math.min(PER_TRANSACTION, N - done));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return (
    `SQLite alone: ${(N / seconds).toFixed(0)} renewals/s, ${((used.user + used.system) / N).toFixed(0)} µs of CPU per renewal ` +
    `(${(used.system / N).toFixed(0)} µs in the kernel), ${N} renewals in transactions of ${PER_TRANSACTION}.`
  );
}

/** PostgreSQL's batches (Paddock's PER_TRANSACTION and LANES for it, subscriptions/due-work.ts). */
const POSTGRES_BATCH = 32;
const POSTGRES_LANES = 3;

/** A multi-row insert of `rows` copies of `sample`'s columns, as one named prepared statement. */
function multiInsert(table: string, sample: Row, rows: number): { name: string; text: string } {
  const columns = Object.keys(sample);
  const tuples = Array.from(
    { length: rows },
    (_, row) => `(${columns.map((_, column) => `$${row * columns.length + column + 1}`).join(', ')})`,
  );
  return {
    name: `floor_${table}_${rows}`,
    text: `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`,
  };
}

/** Writes `count` renewals' rows with one connection, in batches, the lane's own subscriptions updated. */
async function postgresLane(client: pg.Client, rows: RenewalRows, lane: number, count: number): Promise<void> {
  const { transaction, attempt, subscription, events } = rows;
  const changed = Object.keys(subscription).filter((column) => !['seller_id', 'environment', 'id'].includes(column));
  const update = {
    name: 'floor_update_subscription',
    text: `update subscriptions set ${changed.map((column, i) => `${column} = $${i + 1}`).join(', ')}
      where seller_id = $${changed.length + 1} and environment = $${changed.length + 2} and id = $${changed.length + 3}`,
  };
  const values = (row: Row) => Object.values(row).map((value) => (typeof value === 'bigint' ? String(value) : value));
  const changedValues = changed
    .map((column) => subscription[column])
    .map((value) => (typeof value === 'bigint' ? String(value) : value));
  for (let done = 0; done < count; done += POSTGRES_BATCH) {
    const size = Math.min(POSTGRES_BATCH, count - done);
    await client.query('begin');
    const ids = Array.from({ length: size }, (_, i) => `l${lane}_${done + i}`);
    for (let i = 0; i < size; i += 1) {
      await client.query('savepoint renewal');
      await client.query({
        ...update,
        values: [...changedValues, subscription.seller_id, subscription.environment, `sub_floor_${lane}_${i}`],
      });
      await client.query('release savepoint renewal');
    }
    await client.query({
      ...multiInsert('transactions', transaction, size),
      values: ids.flatMap((id) => values({ ...transaction, id: `txn_${id}` })),
    });
    await client.query({
      ...multiInsert('payment_attempts', attempt, size),
      values: ids.flatMap((id) => values({ ...attempt, id: `att_${id}`, transaction_id: `txn_${id}` })),
    });
    await client.query({
      ...multiInsert('events', events[0]!, size * events.length),
      values: ids.flatMap((id) => events.flatMap((event) => values({ ...event, id: `evt_${id}_${String(event.id)}` }))),
    });
    await client.query('commit');
  }
}

async function postgresFloor(rows: RenewalRows): Promise<string> {
  const schema = `paddock_floor_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  try {
    const database = openDatabase(POSTGRES_URL, { schema });
    await migrateToLatest(database.db, database.schema);
    await database.close();
    const clients = await Promise.all(
      Array.from({ length: POSTGRES_LANES }, async () => {
        const client = new pg.Client({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
        await client.connect();
        return client;
      }),
    );
    const subscriptions = Array.from({ length: POSTGRES_LANES * POSTGRES_BATCH }, (_, i) => ({
      ...rows.subscription,
      id: `sub_floor_${Math.floor(i / POSTGRES_BATCH)}_${i % POSTGRES_BATCH}`,
    }));
    for (const subscription of subscriptions) {
      const { name: _name, ...insert } = multiInsert('subscriptions', subscription, 1);
      await clients[0]!.query({
        ...insert,
        values: Object.values(subscription).map((value) => (typeof value === 'bigint' ? String(value) : value)),
      });
    }
    const before = snapshot(undefined);
    const cpu = process.cpuUsage();
    const started = performance.now();
    const perLane = Math.ceil(N / POSTGRES_LANES);
    await Promise.all(clients.map((client, lane) => postgresLane(client, rows, lane, perLane)));
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const written = perLane * POSTGRES_LANES;
    const postgresCpu = shares(before, snapshot(undefined)).postgres * seconds;
    await Promise.all(clients.map((client) => client.end()));
    return (
      `PostgreSQL through pg alone: ${(written / seconds).toFixed(0)} renewals/s, ` +
      `${((postgresCpu * 1e6) / written).toFixed(0)} µs of PostgreSQL's CPU and ${((used.user + used.system) / written).toFixed(0)} µs of this process's per renewal, ` +
      `${written} renewals in transactions of ${POSTGRES_BATCH} on ${POSTGRES_LANES} connections.`
    );
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'paddock-engine-floor-'));
try {
  const file = join(dir, 'floor.db');
  await fileWithRenewals(file);
  const sqlite = new SQLite(file);
  sqlite.defaultSafeIntegers(true);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  const rows = renewalRowsOf(sqlite);
  console.log(describeRows(rows));
  console.log(options.postgres ? await postgresFloor(rows) : sqliteFloor(sqlite, rows));
  sqlite.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
