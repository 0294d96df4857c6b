// `npm run bench:engine-floor`: what SQLite alone needs to write one renewal's rows (issue #10's floor). Makes a few
// real renewals in process (a migrated file, a seed document, one clock advance), copies the rows one renewal
// wrote (its transaction, payment attempt and subscription, and seven events with their snapshots), then writes
// copies of them with better-sqlite3 alone: prepared statements, 64 renewals per transaction each in a savepoint,
// the WAL as Paddock configures it, no JavaScript of Paddock's. Prints renewals per second and CPU per renewal.
//
// Options: --n <renewals written> (default 20000).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { buildApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { migrateToLatest, openDatabase } from '../src/db/database.js';
import { WallClock } from '../src/kernel/clock.js';
import { ensureBootstrapKey } from '../src/modules/api-keys/service.js';
import { DEFAULT_SELLER_ID, ensureSeller } from '../src/modules/sellers/service.js';
import { monthlySeedDocument } from './seed-document.js';

const { values: options } = parseArgs({ options: { n: { type: 'string', default: '20000' } } });
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

const dir = mkdtempSync(join(tmpdir(), 'paddock-engine-floor-'));
try {
  const file = join(dir, 'floor.db');
  await fileWithRenewals(file);
  const sqlite = new SQLite(file);
  sqlite.defaultSafeIntegers(true);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
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
  const eventBytes = events.reduce((sum, event) => sum + String(event.data).length, 0);
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
  sqlite.close();
  console.log(
    `A renewal's rows: a transaction of ${JSON.stringify(transaction, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).length} bytes, ` +
      `its payment attempt, the subscription, ${events.length} events of ${eventBytes} bytes together.`,
  );
  console.log(
    `SQLite alone: ${(N / seconds).toFixed(0)} renewals/s, ${((used.user + used.system) / N).toFixed(0)} µs of CPU per renewal ` +
      `(${(used.system / N).toFixed(0)} µs in the kernel), ${N} renewals in transactions of ${PER_TRANSACTION}.`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
