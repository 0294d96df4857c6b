// Opens the database named by DATABASE_URL (SQLite file, SQLite in memory, or PostgreSQL), aligns the two
// drivers (integers as bigint, busy timeout), and runs the migrations.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  sql,
  type CompiledQuery,
  type MigrationProvider,
  type PostgresPool,
  type PostgresPoolClient,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { registerChangeToken } from './change-token.js';
import { migrations } from './migrations/index.js';
import { registerPreparedRead, runsPrepared, statementName } from './prepared-read.js';
import { busy, registerReadNow } from './read-now.js';
import { registerWriteNow } from './write-now.js';
import type { Database } from './tables.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
/**
 * An open database transaction. Kysely types it apart from the database (`isTransaction: true`), so a helper that
 * locks rows (`FOR UPDATE`, claims with `SKIP LOCKED`) or must write in the caller's transaction takes `Trx`, and
 * passing it the database is a compile error.
 */
export type Trx = Transaction<Database>;
/** Either the database or an open transaction: reads and single writes accept both. */
export type Executor = Kysely<Database>;

export interface OpenDatabase {
  db: Db;
  dialect: Dialect;
  /** PostgreSQL: the schema the tables live in, when not the default search path. */
  schema?: string;
  /** What to print: the URL without any password. */
  description: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL only: a schema to create and use (the tests give each app its own). */
  schema?: string;
  poolSize?: number;
}

// @NOTE int8 (OID 20) as BigInt, so money never passes through a float on PostgreSQL either.
pg.types.setTypeParser(20, (value: string) => BigInt(value));

export function openDatabase(url: string, options: OpenOptions = {}): OpenDatabase {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options);
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  throw new Error(`DATABASE_URL must start with sqlite: or postgres://, got ${url}`);
}

function openSqlite(file: string): OpenDatabase {
  const inMemory = file === ':memory:' || file === '';
  if (!inMemory) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(inMemory ? ':memory:' : file);
  sqlite.defaultSafeIntegers(true);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // @NOTE several processes may share one file; wait for a writer instead of failing with SQLITE_BUSY.
  sqlite.pragma('busy_timeout = 5000');
  const cached = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached.database }) });
  const dataVersion = sqlite.prepare('pragma data_version').pluck();
  // @NOTE other connections' commits, read once per request (db/change-token.ts); this connection's own writes are
  // counted as they are prepared, so they change the token at once.
  let othersVersion: bigint | undefined;
  const forget = () => {
    othersVersion = undefined;
  };
  registerChangeToken(db, {
    read: (tables) => {
      if (othersVersion === undefined) {
        othersVersion = dataVersion.get() as bigint;
        setImmediate(forget);
      }
      return `${othersVersion}:${tables ? cached.writesTo(tables) : cached.localWrites()}`;
    },
    forget,
  });
  // @NOTE while the connection is inside a transaction (a batch of renewals holds it for ~10 ms at a time), a read
  // outside it answers from a second, read-only connection on a file: the last commit (WAL readers do not wait
  // for the writer), not kept, instead of queueing behind the whole transaction (#10: GETs during an advance).
  const lastCommit = inMemory ? undefined : readOnlyConnection(file);
  registerReadNow(db, (text, parameters) => {
    if (!sqlite.inTransaction) return { row: cached.statement(text).get(...parameters), keep: true };
    return lastCommit?.read(text, parameters) ?? busy;
  });
  // @NOTE through `cached.database.prepare`, which counts the writes for the change token.
  const writeAll = sqlite.transaction((statements: readonly CompiledQuery[]) =>
    statements.map((query) => Number(cached.database.prepare(query.sql).run(...query.parameters).changes)),
  );
  registerWriteNow(db, (statements) => (sqlite.inTransaction ? busy : writeAll.immediate(statements)));
  return {
    db,
    dialect: 'sqlite',
    description: `sqlite:${inMemory ? ':memory:' : file}`,
    close: async () => {
      await db.destroy();
      lastCommit?.close();
    },
  };
}

/**
 * A read-only connection to the file, with its statements prepared once each. @NOTE it never waits for a lock:
 * it runs on the same thread as the writer whose lock it would wait for (a checkpoint resetting the WAL), so
 * waiting would stop the whole process for the busy timeout. Busy, the read answers undefined and the caller
 * queues behind the writer's transaction instead.
 */
function readOnlyConnection(file: string) {
  const reader = new SQLite(file, { readonly: true });
  reader.defaultSafeIntegers(true);
  reader.pragma('busy_timeout = 0');
  const statements = new Map<string, SQLite.Statement>();
  const statement = (text: string): SQLite.Statement => {
    let prepared = statements.get(text);
    if (!prepared) {
      if (statements.size >= 500) statements.clear();
      prepared = reader.prepare(text);
      statements.set(text, prepared);
    }
    return prepared;
  };
  return {
    read(text: string, parameters: readonly unknown[]): { row: unknown; keep: false } | undefined {
      try {
        return { row: statement(text).get(...parameters), keep: false };
      } catch (error) {
        if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return undefined;
        throw error;
      }
    },
    close: () => reader.close(),
  };
}

/**
 * Kysely prepares every query it runs; preparing costs far more than running a small query on SQLite. Paddock
 * runs a few hundred distinct statements, so each is prepared once and reused (better-sqlite3 statements are
 * reusable and bind fresh parameters on each run).
 */
/**
 * Writes that change no column a table-scoped token is asked for: the invoice counter (`invoice_sequence` of
 * `seller_environments`, taken by every completed or billed transaction) is read by no kept value, while the kept
 * keys read the clock and portal columns of the same table. @NOTE without this, every payment dropped the kept keys
 * and the next request read its key again (issue #10: one statement per subscription made through the API, and
 * every batch of renewals during a clock advance). They still count as writes for the token of everything else.
 */
const WRITES_OF_UNKEPT_COLUMNS = [
  /^update "seller_environments" set "invoice_sequence" = "invoice_sequence" \+ \? where /,
];

function withStatementCache(sqlite: SQLite.Database, limit = 2000) {
  const statements = new Map<string, SQLite.Statement>();
  // Counts statements of this connection that may write (anything but a select), for the change token; and, for
  // the tables a token was asked for (changeToken's `tables`), those whose text names the table. @NOTE the schema has
  // no triggers, foreign-key actions or views, so a statement writes only tables its text names.
  let localWrites = 0;
  const tableWrites = new Map<string, number>();
  const writesTo = (tables: readonly string[]): string =>
    tables
      .map((table) => {
        let count = tableWrites.get(table);
        if (count === undefined) {
          count = 0;
          tableWrites.set(table, count);
        }
        return count;
      })
      .join(',');
  const statement = (sql: string): SQLite.Statement => {
    let prepared = statements.get(sql);
    if (!prepared) {
      // @NOTE a bound on distinct statements (lists with many `in (?, ?, …)` lengths vary the text).
      if (statements.size >= limit) statements.clear();
      prepared = sqlite.prepare(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  };
  const database = {
    close: () => sqlite.close(),
    prepare(sql: string) {
      if (!sql.startsWith('select')) {
        localWrites += 1;
        if (!WRITES_OF_UNKEPT_COLUMNS.some((write) => write.test(sql)))
          for (const [table, count] of tableWrites) if (sql.includes(table)) tableWrites.set(table, count + 1);
      }
      // @NOTE a transaction takes the write lock when it begins (Kysely sends a plain, deferred `begin`): a deferred
      // transaction that reads and then writes fails at once with SQLITE_BUSY when another process wrote in
      // between, whatever the busy timeout; an immediate one waits for the other writer instead (issue #10 item 3).
      return statement(sql === 'begin' ? 'begin immediate' : sql);
    },
  } as unknown as SQLite.Database;
  return { database, statement, localWrites: () => localWrites, writesTo };
}

function openPostgres(url: string, options: OpenOptions): OpenDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // @NOTE Kysely runs every query unnamed; the hot writes (`prepareWrite`) go named instead, on the same client.
  const clients: PostgresPool = {
    connect: async () => {
      const client = await pool.connect();
      return {
        // (Kysely's cursors, the query's other form, are not used: streams are not configured.)
        query: ((text: string, values: readonly unknown[]) =>
          runsPrepared(text)
            ? client.query({ name: statementName(text), text, values: [...values] })
            : client.query(text, [...values])) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: clients }) });
  registerPreparedRead(db, async (name, text, values) => (await pool.query({ name, text, values: [...values] })).rows);
  return {
    db,
    dialect: 'postgres',
    ...(options.schema ? { schema: options.schema } : {}),
    description: url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@'),
    close: () => db.destroy(),
  };
}

/** PostgreSQL: the schema tables are created in (the search path's first); undefined on SQLite. */
async function currentSchema(db: Db): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Runs every migration the database has not run, in name order.
 *
 * @NOTE with a schema, the migrator's own tables must be looked for in it: Kysely otherwise finds a
 * `kysely_migration` table in any schema of the database and believes it is migrated.
 * @NOTE unordered migrations are allowed: work lands from several branches, so a migration can reach main after one
 * whose name sorts later (202611291212-portal-sessions did), and Kysely would otherwise refuse every database
 * migrated in between. Each migration creates or alters its own tables only, so the order among pending ones is
 * all that matters.
 */
export async function migrateToLatest(db: Db, schema?: string): Promise<void> {
  const inUse = schema ?? (await currentSchema(db));
  const migrator = new Migrator({
    db,
    provider,
    allowUnorderedMigrations: true,
    ...(inUse ? { migrationTableSchema: inUse } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
