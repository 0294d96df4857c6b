// Keyset pagination shared by every list: Paddle's cursor is the id of the last entity on the page.
// Ordering by another field uses (field, id) as the key, so pages never skip or repeat rows.
import { sql, type SelectQueryBuilder } from 'kysely';
import { changeToken } from './change-token.js';
import type { Executor } from './database.js';
import { ReadCache, queryKey } from './read-cache.js';
import type { Database } from './tables.js';

export interface PageRequest {
  after?: string;
  perPage: number;
  orderBy: { field: string; direction: 'ASC' | 'DESC' };
}

export interface Page<T> {
  rows: T[];
  hasMore: boolean;
  estimatedTotal: number;
}

/** Paddle counts exactly up to 100 000 matches and says 100 001 above that. */
const COUNT_CAP = 100_001;

type AnyQuery<T> = SelectQueryBuilder<Database, any, T>;

/**
 * How an `order_by` field maps to a column: by default a nullable text column of the same name. Numeric
 * columns must say so (NULLs then sort as 0); fields that live elsewhere name their column.
 */
export interface SortKey {
  column: string;
  kind?: 'text' | 'number';
  nullable?: boolean;
}

/**
 * `base` selects the rows of `table` with the tenant and every filter already applied.
 * @NOTE nullable sort fields sort as '' so NULLs take part in the (field, id) comparison on both engines.
 */
export async function fetchPage<T extends { id: string }>(
  db: Executor,
  table: keyof Database,
  base: AnyQuery<T>,
  page: PageRequest,
  sortKeys: Record<string, SortKey> = {},
): Promise<Page<T>> {
  const { pageQuery, countQuery } = pageQueries(db, table, base, page, sortKeys);
  // @NOTE take the token before reading (db/read-cache.ts); a transaction's executor has none, so reads inside
  // one are never kept.
  const token = changeToken(db);
  const compiled = token === undefined ? undefined : pageQuery.compile();
  const cacheKey = compiled && queryKey(compiled);
  const kept = cacheKey && token ? pageCache.get(db, cacheKey, token) : undefined;
  if (kept) return kept as Page<T>;
  const result = await readPage({ pageQuery, countQuery }, page);
  if (cacheKey && token) pageCache.set(db, cacheKey, token, result);
  return result;
}

/** JSON that also writes bigints (as `"<digits>n"`, apart from the string of the same digits). */
function parametersText(value: unknown): string {
  return JSON.stringify(value, (_, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));
}

/**
 * `fetchPage` of the query `build` makes, kept under the change token by `parameters` and `page` instead of by
 * the compiled query: a page kept on SQLite is answered before any query is built (building and compiling the
 * page and count queries with Kysely cost ~30 µs, as much as the rest of a kept list). `parameters` must hold
 * everything `build` reads (the tenant and the list's filters, as plain JSON values): two calls with equal
 * parameters must build the same query.
 */
export async function fetchKeptPage<T extends { id: string }>(
  db: Executor,
  table: keyof Database,
  parameters: unknown,
  build: () => AnyQuery<T>,
  page: PageRequest,
  sortKeys: Record<string, SortKey> = {},
): Promise<Page<T>> {
  // @NOTE the token before reading, as in fetchPage.
  const token = changeToken(db);
  const cacheKey = token === undefined ? undefined : `${table}\u0000${parametersText([parameters, page])}`;
  const kept = cacheKey && token ? pageCache.get(db, cacheKey, token) : undefined;
  if (kept) return kept as Page<T>;
  const result = await readPage(pageQueries(db, table, build(), page, sortKeys), page);
  if (cacheKey && token) pageCache.set(db, cacheKey, token, result);
  return result;
}

/** The query of the page's rows (one more than the page, to know whether more follow) and the capped count. */
function pageQueries<T extends { id: string }>(
  db: Executor,
  table: keyof Database,
  base: AnyQuery<T>,
  page: PageRequest,
  sortKeys: Record<string, SortKey>,
) {
  const { field, direction } = page.orderBy;
  const key: SortKey = sortKeys[field] ?? { column: field, kind: 'text', nullable: true };
  const fieldRef = sql.ref(`${table}.${key.column}`);
  const idRef = sql.ref(`${table}.id`);
  const empty = key.kind === 'number' ? sql`0` : sql`''`;
  const sortKey = field === 'id' ? idRef : key.nullable === false ? fieldRef : sql`coalesce(${fieldRef}, ${empty})`;
  const before = direction === 'DESC';
  let query = base;
  if (page.after) {
    if (field === 'id') {
      query = query.where(sql<boolean>`${idRef} ${sql.raw(before ? '<' : '>')} ${page.after}`);
    } else {
      const cursor = base.clearSelect().select(sortKey.as('k')).where(idRef, '=', page.after);
      const op = sql.raw(before ? '<' : '>');
      query = query.where(
        sql<boolean>`(${sortKey} ${op} (${cursor}) or (${sortKey} = (${cursor}) and ${idRef} ${op} ${page.after}))`,
      );
    }
  }
  const dir = sql.raw(direction);
  const pageQuery = query
    .orderBy(sql`${sortKey} ${dir}`)
    .$if(field !== 'id', (q) => q.orderBy(sql`${idRef} ${dir}`))
    .limit(page.perPage + 1);
  const countQuery = db
    .selectFrom(
      base
        .clearSelect()
        .select(sql`1`.as('one'))
        .limit(COUNT_CAP)
        .as('matches'),
    )
    .select((eb) => eb.fn.countAll().as('total'));
  return { pageQuery, countQuery };
}

async function readPage<T extends { id: string }>(
  { pageQuery, countQuery }: ReturnType<typeof pageQueries<T>>,
  page: PageRequest,
): Promise<Page<T>> {
  const rows = await pageQuery.execute();
  const counted = await countQuery.executeTakeFirstOrThrow();
  return Object.freeze({
    rows: rows.slice(0, page.perPage).map((row) => Object.freeze(row)),
    hasMore: rows.length > page.perPage,
    estimatedTotal: Number(counted.total),
  });
}

/**
 * Pages read on SQLite, by their query and parameters, given out again while the database's change token is
 * unchanged (any write, by any process, drops them all): a client polling a list (the same page until something
 * changes) is answered without reading 51 rows and counting every match again (#13). Rows are frozen: every
 * reader of the page shares them.
 */
const pageCache = new ReadCache<Page<{ id: string }>>(1000);
