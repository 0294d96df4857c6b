// Inserts of whole rows on the hot paths (a renewal's transaction and payment attempt, a batch's events and
// notifications): the SQL text is built by Kysely once per dialect, table, columns and number of rows, then run
// with the rows' values as parameters. Building an insert with Kysely (parsing every row's values into nodes,
// then compiling them) cost more than SQLite spent running it (#10).
import { CompiledQuery } from 'kysely';
import type { Executor } from './database.js';
import { prepareWrite } from './prepared-read.js';
import type { TenantTable } from './tables.js';

/** SQL texts by dialect (adapter), then by `table(columns)×rows`. */
const insertSql = new WeakMap<object, Map<string, string>>();
/** Distinct shapes kept per dialect (event batches vary in rows); past it the texts are built again. */
const SHAPES_KEPT = 512;

function insertSqlFor(
  db: Executor,
  table: TenantTable,
  columns: readonly string[],
  rows: number,
  unlessConflictOn?: readonly string[],
): string {
  const adapter = db.getExecutor().adapter;
  let byShape = insertSql.get(adapter);
  if (!byShape) {
    byShape = new Map();
    insertSql.set(adapter, byShape);
  }
  const shape = `${table}(${columns.join(',')})×${rows}${unlessConflictOn ? ` unless (${unlessConflictOn.join(',')})` : ''}`;
  let text = byShape.get(shape);
  if (!text) {
    const placeholder = Object.fromEntries(columns.map((column) => [column, null]));
    let insert = db.insertInto(table as 'customers').values(Array.from({ length: rows }, () => placeholder) as never);
    if (unlessConflictOn)
      insert = insert.onConflict((conflict) => conflict.columns(unlessConflictOn as never).doNothing());
    text = insert.compile().sql;
    if (byShape.size >= SHAPES_KEPT) byShape.clear();
    byShape.set(shape, text);
    prepareWrite(text);
  }
  return text;
}

/** The columns `row` gives a value (undefined means "not given": the column's default, as Kysely reads it). */
function givenColumns(row: object): string[] {
  return Object.keys(row).filter((column) => (row as Record<string, unknown>)[column] !== undefined);
}

/**
 * Inserts `rows` into `table` in one statement, in the caller's transaction when `db` is one. Every row must give
 * the same columns (as rows built by one function do); rows of different shapes go through Kysely as they are.
 * Keep `rows` under the engine's parameter limit (SQLite 32,766; PostgreSQL 65,535): callers chunk.
 */
export async function insertRows(db: Executor, table: TenantTable, rows: readonly object[]): Promise<void> {
  const [first] = rows;
  if (!first) return;
  const columns = givenColumns(first);
  const sameShape = rows.every((row) => {
    const given = givenColumns(row);
    return given.length === columns.length && given.every((column, index) => column === columns[index]);
  });
  if (!sameShape) {
    await db
      .insertInto(table as 'customers')
      .values(rows as never)
      .execute();
    return;
  }
  const parameters: unknown[] = [];
  for (const row of rows) for (const column of columns) parameters.push((row as Record<string, unknown>)[column]);
  await db.executeQuery(CompiledQuery.raw(insertSqlFor(db, table, columns, rows.length), parameters));
}

/**
 * Inserts `row` into `table` unless it conflicts with a row already there on the unique index over
 * `conflictColumns` (`on conflict (…) do nothing`); answers whether it was inserted. The SQL is built once per
 * table, columns and conflict target, as `insertRows`'s is (a customer create, #13).
 */
export async function insertRowUnlessConflict(
  db: Executor,
  table: TenantTable,
  row: object,
  conflictColumns: readonly string[],
): Promise<boolean> {
  const columns = givenColumns(row);
  const result = await db.executeQuery(
    CompiledQuery.raw(
      insertSqlFor(db, table, columns, 1, conflictColumns),
      columns.map((column) => (row as Record<string, unknown>)[column]),
    ),
  );
  return Number(result.numAffectedRows ?? 0n) > 0;
}
