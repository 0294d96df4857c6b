// Starts Paddock: opens and migrates the database, makes sure the default seller and its keys exist,
// listens, prints what a user needs, and stops gracefully on SIGTERM.
import { createServer } from 'node:net';
import { buildApp } from './app.js';
import { readConfig, type Config } from './config.js';
import { migrateToLatest, openDatabase, type OpenDatabase } from './db/database.js';
import { startNotificationWorker } from './jobs/notification-worker.js';
import { startScheduler } from './jobs/scheduler.js';
import { refreshPlannerStatistics } from './db/statistics.js';
import { PADDOCK_WIRING } from './modules/index.js';
import { WallClock } from './kernel/clock.js';
import { ensureBootstrapKey, type BootstrapOutcome } from './modules/api-keys/service.js';
import { DEFAULT_SELLER_ID, ensureSeller } from './modules/sellers/service.js';

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function keyLine(environment: string, outcome: BootstrapOutcome): string {
  switch (outcome.kind) {
    case 'generated':
      return `${environment} API key: ${outcome.key}  (generated now and shown only this once; keep it)`;
    case 'configured':
      return `${environment} API key: from PADDOCK_${environment.toUpperCase()}_API_KEY`;
    case 'existing':
      return `${environment} API key: generated on an earlier start (set PADDOCK_${environment.toUpperCase()}_API_KEY, or run: paddock keys create --environment ${environment})`;
  }
}

/** Opens the database and prepares the default seller; shared by `serve` and the CLI commands. */
export async function prepareDatabase(
  config: Config,
  clock: WallClock,
): Promise<{ database: OpenDatabase; keyLines: string[] }> {
  const database = openDatabase(config.databaseUrl);
  await migrateToLatest(database.db);
  const [sandbox, live] = await ensureSeller(database.db, clock, DEFAULT_SELLER_ID, 'Default seller');
  const keyLines = [
    keyLine('sandbox', await ensureBootstrapKey(database.db, clock, sandbox!, config.sandboxApiKey)),
    keyLine('live', await ensureBootstrapKey(database.db, clock, live!, config.liveApiKey)),
  ];
  return { database, keyLines };
}

export async function serve(env: Record<string, string | undefined> = process.env): Promise<void> {
  const initial = readConfig(env);
  const port = initial.port === 0 ? await freePort(initial.host) : initial.port;
  const config = readConfig(env, port);
  const clock = new WallClock();
  const { database, keyLines } = await prepareDatabase(config, clock);
  const app = await buildApp({ db: database.db, dialect: database.dialect, config, wallClock: clock });
  await app.listen({ port, host: config.host });
  const scheduler = startScheduler({
    db: database.db,
    dialect: database.dialect,
    wallClock: clock,
    config,
    wiring: PADDOCK_WIRING,
    intervalMs: Number(env.PADDOCK_SCHEDULER_INTERVAL_MS ?? 5000),
    log: (message, error) => app.log.error({ err: error }, message),
    housekeeping: () => refreshPlannerStatistics(database.db, database.dialect),
  });
  const webhooks = startNotificationWorker({
    db: database.db,
    dialect: database.dialect,
    wallClock: clock,
    config,
    wiring: PADDOCK_WIRING,
    pollMs: Number(env.PADDOCK_WEBHOOK_POLL_MS ?? 100),
    ...(env.PADDOCK_WEBHOOK_LEASE_MS ? { leaseMs: Number(env.PADDOCK_WEBHOOK_LEASE_MS) } : {}),
    log: (message, error) => console.error(message, error),
  });

  const lines = [
    `Paddock listening on http://${config.host}:${port}`,
    `API base URL: ${config.publicUrl}`,
    `Database: ${database.description}`,
    `Sandbox customer portal: ${config.sandboxCustomerPortalUrl}`,
    `Live customer portal: ${config.customerPortalUrl}`,
    ...keyLines,
  ];
  for (const line of lines) console.log(line);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing requests in flight, then stopping`);
    // @NOTE app.close waits for in-flight requests; each change is one database transaction, so whatever
    // was not committed is rolled back and nothing is left half-written.
    await scheduler.stop();
    await webhooks.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
