import { changeToken } from '../../db/change-token.js';
import type { Db, Executor } from '../../db/database.js';
import { handOverRow } from '../../db/find-by-id.js';
import { permissionsColumn } from '../../db/json.js';
import { readPrepared } from '../../db/prepared-read.js';
import { ReadCache } from '../../db/read-cache.js';
import type { ApiKeyRow, Environment, Tenant, TenantTable } from '../../db/tables.js';
import { tenantRows } from '../../db/tenant-rows.js';

interface KeyWithTenant {
  key: ApiKeyRow;
  clock_offset_us: bigint;
  clock_frozen_at: string | null;
  portal_id: string;
  portal_signing_secret: string;
}

/**
 * The one lookup that is not scoped by tenant: the key is how we learn the tenant.
 * @NOTE on a sharded PostgreSQL this table is a reference table (replicated to every node).
 */
function keyLookup(db: Executor, keyHash: string) {
  return db
    .selectFrom('api_keys')
    .innerJoin('seller_environments', (join) =>
      join
        .onRef('seller_environments.seller_id', '=', 'api_keys.seller_id')
        .onRef('seller_environments.environment', '=', 'api_keys.environment'),
    )
    .selectAll('api_keys')
    .select([
      'seller_environments.clock_offset_us',
      'seller_environments.clock_frozen_at',
      'seller_environments.portal_id',
      'seller_environments.portal_signing_secret',
    ])
    .where('api_keys.key_hash', '=', keyHash);
}

type KeyLookupRow = Awaited<ReturnType<ReturnType<typeof keyLookup>['executeTakeFirst']>>;
const compiledLookups = new WeakMap<Executor, ReturnType<ReturnType<typeof keyLookup>['compile']>>();

/**
 * Every API request starts here, so the query is built and compiled once per database and then run with the
 * request's hash as its only parameter.
 */
async function findKeyByHash(db: Executor, keyHash: string): Promise<KeyWithTenant | undefined> {
  let compiled = compiledLookups.get(db);
  if (!compiled) {
    compiled = keyLookup(db, '').compile();
    compiledLookups.set(db, compiled);
  }
  const [row] = await readPrepared<NonNullable<KeyLookupRow>>(db, compiled.sql, [keyHash]);
  if (!row) return undefined;
  const { clock_offset_us, clock_frozen_at, portal_id, portal_signing_secret, ...key } = row;
  return { key, clock_offset_us: BigInt(clock_offset_us), clock_frozen_at, portal_id, portal_signing_secret };
}

/**
 * What an active key grants a request: its tenant, permissions, the tenant's clock state (offset in µs, or the
 * instant it is frozen at), portal id and the portal's signing secret (read with the key, so a response that mints
 * `pga_` tokens needs no other read).
 */
export interface KeyHolder {
  tenant: Tenant;
  apiKeyId: string;
  permissions: string[];
  clockOffsetMicros: bigint;
  clockFrozenAt: string | null;
  portalId: string;
  portalSigningSecret: string;
}

export interface ActiveKey {
  holder: KeyHolder;
  /** Stored RFC 3339 time after which the key is refused, or null when it never expires. */
  expiresAt: string | null;
}

/**
 * Active keys already read, by key hash, kept while the database's change token for the key's tables is unchanged
 * (db/read-cache.ts), so a revoked key or a moved sandbox clock is seen at once, whichever process wrote it, while
 * this process's writes to other tables (a customer created) leave them kept. Without a token (PostgreSQL) nothing
 * is kept. Unknown keys are never kept.
 */
const activeKeys = new ReadCache<ActiveKey>(10_000);
/** What a key's holder is read from: only writes to these (or another process's commits) drop the kept keys. */
const KEY_TABLES = ['api_keys', 'seller_environments'] as const;

/** The active key with this SHA-256 hash (hex), or undefined when it is unknown or revoked. */
export async function findActiveKeyByHash(db: Db, keyHash: string): Promise<ActiveKey | undefined> {
  const token = changeToken(db, KEY_TABLES);
  const known = token === undefined ? undefined : activeKeys.get(db, keyHash, token);
  if (known) return known;
  const found = await findKeyByHash(db, keyHash);
  if (!found || found.key.status !== 'active') return undefined;
  const entry = activeKey(found);
  if (token !== undefined) activeKeys.set(db, keyHash, token, entry);
  return entry;
}

/** What `activeKey` reads of a key and its tenant. */
type KeyFields = Omit<KeyWithTenant, 'key'> & {
  key: Pick<ApiKeyRow, 'seller_id' | 'environment' | 'id' | 'permissions' | 'expires_at'>;
};

function activeKey(found: KeyFields): ActiveKey {
  return {
    expiresAt: found.key.expires_at,
    // Shared by every request that presents the key while it is kept: frozen so none can change it.
    holder: Object.freeze({
      tenant: Object.freeze({ seller_id: found.key.seller_id, environment: found.key.environment }),
      apiKeyId: found.key.id,
      permissions: Object.freeze(permissionsColumn.decode(found.key.permissions)) as string[],
      clockOffsetMicros: found.clock_offset_us,
      clockFrozenAt: found.clock_frozen_at,
      portalId: found.portal_id,
      portalSigningSecret: found.portal_signing_secret,
    }),
  };
}

/** The row a request reads first, by its table and id (a get-by-id operation's path parameter). */
export interface RowToRead {
  table: TenantTable;
  id: string;
}

/** Column aliases of the key's side of the joined lookup: `key:<column>` cannot be a column of a row's table. */
const KEY_PREFIX = 'key:';
const KEY_COLUMNS = ['seller_id', 'environment', 'id', 'permissions', 'status', 'expires_at'] as const;
const TENANT_COLUMNS = ['clock_offset_us', 'clock_frozen_at', 'portal_id', 'portal_signing_secret'] as const;

/**
 * The key lookup with, left-joined by the key's own tenant (seller_id, environment) and the id, the row of `table`:
 * the key's columns under `key:` aliases, the row's under their own names (all null when the tenant has no such
 * row). Its parameters are the id and the hash, in the order `parameters` gives.
 */
function keyAndRowLookup(db: Executor, table: TenantTable) {
  const ID = '\u0000id';
  const HASH = '\u0000hash';
  // @NOTE Kysely types tables statically; the text is the same for every table but its name, so one is named here.
  const joined = `${table} as row` as 'customers as row';
  const compiled = db
    .selectFrom('api_keys')
    .innerJoin('seller_environments', (join) =>
      join
        .onRef('seller_environments.seller_id', '=', 'api_keys.seller_id')
        .onRef('seller_environments.environment', '=', 'api_keys.environment'),
    )
    .leftJoin(joined, (join) =>
      join
        .onRef('row.seller_id', '=', 'api_keys.seller_id')
        .onRef('row.environment', '=', 'api_keys.environment')
        .on('row.id', '=', ID),
    )
    .select(KEY_COLUMNS.map((column) => `api_keys.${column} as ${KEY_PREFIX}${column}` as const))
    .select(TENANT_COLUMNS.map((column) => `seller_environments.${column} as ${KEY_PREFIX}${column}` as const))
    .selectAll('row')
    .where('api_keys.key_hash', '=', HASH)
    .compile();
  return {
    sql: compiled.sql,
    order: compiled.parameters.map((value) => (value === ID ? 'id' : value === HASH ? 'hash' : undefined)),
  };
}

const compiledKeyAndRow = new WeakMap<
  Executor,
  Map<TenantTable, { sql: string; order: Array<'id' | 'hash' | undefined> }>
>();

function keyAndRowQuery(db: Executor, table: TenantTable) {
  let byTable = compiledKeyAndRow.get(db);
  if (!byTable) {
    byTable = new Map();
    compiledKeyAndRow.set(db, byTable);
  }
  let query = byTable.get(table);
  if (!query) {
    query = keyAndRowLookup(db, table);
    if (query.order.includes(undefined)) throw new Error(`key and row lookup of ${table}: unexpected parameters`);
    byTable.set(table, query);
  }
  return query;
}

/**
 * `findActiveKeyByHash`, and the row `read` names, read in the same round trip where nothing is kept (PostgreSQL,
 * which has no change token): one statement joins the row to the key by the key's tenant, so the row is read under
 * the same tenant filter a later `findById` would apply, and handed to that `findById` (db/find-by-id.ts) through
 * the request's fresh tenant object. The key's checks are unchanged (status here, expiry and permissions by the
 * caller): a key refused leaves its row with a tenant object no one holds. Where keys and rows are kept (SQLite),
 * this is `findActiveKeyByHash` and the row is read by `findById` as usual.
 */
export async function findActiveKeyByHashWithRow(
  db: Db,
  keyHash: string,
  read: RowToRead,
): Promise<ActiveKey | undefined> {
  if (changeToken(db) !== undefined) return findActiveKeyByHash(db, keyHash);
  const query = keyAndRowQuery(db, read.table);
  const [found] = await readPrepared<Record<string, unknown>>(
    db,
    query.sql,
    query.order.map((name) => (name === 'id' ? read.id : keyHash)),
  );
  if (!found || found[`${KEY_PREFIX}status`] !== 'active') return undefined;
  const keyField = (column: string) => found[`${KEY_PREFIX}${column}`];
  const entry = activeKey({
    key: {
      seller_id: keyField('seller_id') as string,
      environment: keyField('environment') as Environment,
      id: keyField('id') as string,
      permissions: keyField('permissions') as ApiKeyRow['permissions'],
      expires_at: keyField('expires_at') as string | null,
    },
    clock_offset_us: BigInt(keyField('clock_offset_us') as bigint),
    clock_frozen_at: keyField('clock_frozen_at') as string | null,
    portal_id: keyField('portal_id') as string,
    portal_signing_secret: keyField('portal_signing_secret') as string,
  });
  let row: Record<string, unknown> | undefined;
  if (found.id !== null && found.id !== undefined) {
    row = {};
    for (const column in found) if (!column.startsWith(KEY_PREFIX)) row[column] = found[column];
  }
  handOverRow(entry.holder.tenant, read.table, read.id, row);
  return entry;
}

export async function insertApiKey(db: Executor, row: ApiKeyRow): Promise<void> {
  await db.insertInto('api_keys').values(row).execute();
}

export async function findBootstrapKey(db: Executor, tenant: Tenant): Promise<ApiKeyRow | undefined> {
  return tenantRows(db, 'api_keys', tenant).where('is_bootstrap', '=', 1n).executeTakeFirst();
}

export async function findKeyHashOwner(
  db: Executor,
  keyHash: string,
): Promise<{ seller_id: string; environment: Environment } | undefined> {
  return db
    .selectFrom('api_keys')
    .select(['seller_id', 'environment'])
    .where('key_hash', '=', keyHash)
    .executeTakeFirst();
}

/** Marks a key revoked; answers whether a key of that tenant and id existed. */
export async function revokeApiKey(db: Executor, tenant: Tenant, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ status: 'revoked', updated_at: at })
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
