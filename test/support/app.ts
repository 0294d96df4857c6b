// A real Paddock for tests: migrated database (SQLite in memory, or a fresh PostgreSQL schema), the
// default seller with its two bootstrap keys, listening on a free loopback port so the official SDK
// can talk to it over HTTP exactly as it would to Paddle.
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { readConfig, type Config } from '../../src/config.js';
import { migrateToLatest, openDatabase, type Db, type Dialect, type OpenDatabase } from '../../src/db/database.js';
import { WallClock } from '../../src/kernel/clock.js';
import { freePort } from '../../src/main.js';
import { createApiKey, ensureBootstrapKey } from '../../src/modules/api-keys/service.js';
import { PADDOCK_WIRING } from '../../src/modules/index.js';
import type { Wiring } from '../../src/modules/module.js';
import { DEFAULT_SELLER_ID, ensureSeller } from '../../src/modules/sellers/service.js';
import type { Environment } from '../../src/db/tables.js';

export const POSTGRES_URL = process.env.PADDOCK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let dialectsPromise: Promise<Dialect[]> | undefined;

/** SQLite always; PostgreSQL when it answers (and it must answer when PADDOCK_REQUIRE_POSTGRES=1, as in CI). */
export function testDialects(): Promise<Dialect[]> {
  dialectsPromise ??= (async () => {
    if (process.env.PADDOCK_TEST_DIALECTS === 'sqlite') return ['sqlite'];
    const pgUp = await postgresAnswers();
    if (!pgUp && process.env.PADDOCK_REQUIRE_POSTGRES === '1') {
      throw new Error(`PostgreSQL is required but does not answer at ${POSTGRES_URL}`);
    }
    return pgUp ? ['sqlite', 'postgres'] : ['sqlite'];
  })();
  return dialectsPromise;
}

/** Runs `suite` once per database engine, each inside its own describe block. */
export async function forEachDialect(suite: (dialect: Dialect) => void): Promise<void> {
  for (const dialect of await testDialects()) describe(dialect, () => suite(dialect));
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  dialect: Dialect;
  config: Config;
  clock: WallClock;
  baseUrl: string;
  keys: { sandbox: string; live: string };
  /** Every module's reactions and due work, as a server or the scheduler has them (for service-level Ctx). */
  wiring: Wiring;
  /** Creates another key of the default seller (or of `sellerId`) with the given permissions. */
  createKey(environment: Environment, permissions: readonly string[], sellerId?: string): Promise<string>;
  /** Creates a second seller with its own all-permission keys. */
  createSeller(sellerId: string): Promise<{ sandbox: string; live: string }>;
  request(
    method: string,
    url: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  text: string;
}

export async function newPostgresSchema(): Promise<string> {
  const schema = `paddock_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return schema;
}

export async function dropPostgresSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

/**
 * A migrated database of its own for the enclosing describe block, without an app: SQLite in memory, or a fresh
 * PostgreSQL schema (dropped after the block). The getter answers it inside tests.
 */
export function useMigratedDatabase(dialect: Dialect, options: { poolSize?: number } = {}): () => OpenDatabase {
  let open: OpenDatabase | undefined;
  let schema: string | undefined;
  before(async () => {
    schema = dialect === 'postgres' ? await newPostgresSchema() : undefined;
    open = schema
      ? openDatabase(POSTGRES_URL, { schema, poolSize: options.poolSize ?? 2 })
      : openDatabase('sqlite::memory:');
    await migrateToLatest(open.db, open.schema);
  });
  after(async () => {
    await open?.close();
    if (schema) await dropPostgresSchema(schema);
  });
  return () => {
    if (!open) throw new Error('the database is not open: call useMigratedDatabase inside a describe block');
    return open;
  };
}

export async function startTestApp(dialect: Dialect, env: Record<string, string> = {}): Promise<TestApp> {
  const port = await freePort('127.0.0.1');
  const schema = dialect === 'postgres' ? await newPostgresSchema() : undefined;
  const config = readConfig(
    { PORT: String(port), PADDOCK_PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'silent', ...env },
    port,
  );
  const database =
    dialect === 'postgres' ? openDatabase(POSTGRES_URL, { schema, poolSize: 4 }) : openDatabase('sqlite::memory:');
  await migrateToLatest(database.db, database.schema);
  const clock = new WallClock();

  async function createSeller(sellerId: string) {
    const [sandbox, live] = await ensureSeller(database.db, clock, sellerId, sellerId);
    const s = await ensureBootstrapKey(database.db, clock, sandbox!, undefined);
    const l = await ensureBootstrapKey(database.db, clock, live!, undefined);
    if (s.kind !== 'generated' || l.kind !== 'generated') throw new Error('seller already existed');
    return { sandbox: s.key, live: l.key };
  }

  const keys = await createSeller(DEFAULT_SELLER_ID);
  const app = await buildApp({ db: database.db, dialect: database.dialect, config, wallClock: clock });
  await app.listen({ port, host: '127.0.0.1' });

  const testApp: TestApp = {
    app,
    db: database.db,
    dialect,
    config,
    clock,
    baseUrl: config.publicUrl,
    keys,
    wiring: PADDOCK_WIRING,
    createSeller,
    async createKey(environment, permissions, sellerId = DEFAULT_SELLER_ID) {
      const created = await createApiKey(
        database.db,
        clock,
        { seller_id: sellerId, environment },
        { name: 'test key', permissions },
      );
      return created.key;
    },
    async request(method, url, options = {}) {
      const key = options.key === undefined ? keys.sandbox : options.key;
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (key !== null) headers.authorization = `Bearer ${key}`;
      let payload: string | undefined;
      if (options.body !== undefined) {
        headers['content-type'] ??= 'application/json';
        payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      }
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload !== undefined ? { payload } : {}),
      });
      let body: any;
      try {
        body = response.body ? JSON.parse(response.body) : undefined;
      } catch {
        body = undefined;
      }
      return { status: response.statusCode, headers: response.headers, body, text: response.body };
    },
    async close() {
      await app.close();
      await database.close();
      if (schema) await dropPostgresSchema(schema);
    },
  };
  return testApp;
}

/** Starts one app for the enclosing describe block (before its tests) and closes it after them. */
export function useTestApp(dialect: Dialect, env: Record<string, string> = {}): () => TestApp {
  let current: TestApp | undefined;
  before(async () => {
    current = await startTestApp(dialect, env);
  });
  after(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('the test app has not started: call useTestApp inside a describe block');
    return current;
  };
}
