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

/** What an insert does with a row that conflicts on the unique index over `columns`: skip it, or update it. */
interface OnConflict {
  columns: readonly string[];
  action: 'nothing' | 'update';
}

function insertSqlFor(
  db: Executor,
  table: TenantTable,
  columns: readonly string[],
  rows: number,
  onConflict?: OnConflict,
): string {
  const adapter = db.getExecutor().adapter;
  let byShape = insertSql.get(adapter);
  if (!byShape) {
    byShape = new Map();
    insertSql.set(adapter, byShape);
  }
  const shape = `${table}(${columns.join(',')})×${rows}${onConflict ? ` on (${onConflict.columns.join(',')}) ${onConflict.action}` : ''}`;
  let text = byShape.get(shape);
  if (!text) {
    const placeholder = Object.fromEntries(columns.map((column) => [column, null]));
    let insert = db.insertInto(table as 'customers').values(Array.from({ length: rows }, () => placeholder) as never);
    if (onConflict) {
      const { columns: target, action } = onConflict;
      const updated = columns.filter((column) => !target.includes(column));
      insert = insert.onConflict((conflict) =>
        action === 'nothing'
          ? conflict.columns(target as never).doNothing()
          : conflict
              .columns(target as never)
              .doUpdateSet((eb) =>
                Object.fromEntries(updated.map((column) => [column, eb.ref(`excluded.${column}` as never)])),
              ),
      );
    }
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
 * Rows one statement writes at most: `columns` parameters each, far under SQLite's 32,766 and PostgreSQL's 65,535,
 * and few enough row counts (SQL texts, prepared statements) per table.
 */
function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.min(500, Math.floor(20_000 / Math.max(columns, 1))));
}

/** Whether `row` gives exactly `columns`, in that order. */
function sameShape(row: object, columns: readonly string[]): boolean {
  const given = givenColumns(row);
  return given.length === columns.length && given.every((column, index) => column === columns[index]);
}

/**
 * Inserts `rows` into `table` in one statement (several for many rows: `rowsPerStatement`), in the caller's
 * transaction when `db` is one. Every row must give the same columns (as rows built by one function do); rows of
 * different shapes go through Kysely as they are.
 */
export async function insertRows(db: Executor, table: TenantTable, rows: readonly object[]): Promise<void> {
  const [first] = rows;
  if (!first) return;
  const columns = givenColumns(first);
  if (!rows.every((row) => sameShape(row, columns))) {
    await db
      .insertInto(table as 'customers')
      .values(rows as never)
      .execute();
    return;
  }
  const chunk = rowsPerStatement(columns.length);
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const text = insertSqlFor(db, table, columns, part.length);
    await db.executeQuery(CompiledQuery.raw(text, parametersOf(part, columns)));
  }
}

/** The values of `rows` for `columns`, row after row: the parameters of a multi-row insert. */
function parametersOf(rows: readonly object[], columns: readonly string[]): unknown[] {
  const parameters: unknown[] = [];
  for (const row of rows) for (const column of columns) parameters.push((row as Record<string, unknown>)[column]);
  return parameters;
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
      insertSqlFor(db, table, columns, 1, { columns: conflictColumns, action: 'nothing' }),
      columns.map((column) => (row as Record<string, unknown>)[column]),
    ),
  );
  return Number(result.numAffectedRows ?? 0n) > 0;
}

/**
 * Writes `rows` (whole rows of one shape, as `insertRows` takes them) into `table` in one statement (several for
 * many rows): each is inserted, or, when a row with its `keyColumns` exists, that row is updated to it (`on conflict
 * (…) do update`). A batch of renewals writes the subscriptions it changed this way, in one statement instead of
 * one update each (#10).
 */
export async function upsertRows(
  db: Executor,
  table: TenantTable,
  rows: readonly object[],
  keyColumns: readonly string[],
): Promise<void> {
  const [first] = rows;
  if (!first) return;
  const columns = givenColumns(first);
  if (!rows.every((row) => sameShape(row, columns))) {
    // Rows of different shapes (none of Paddock's whole rows today): one statement each.
    for (const row of rows) await upsertRows(db, table, [row], keyColumns);
    return;
  }
  const chunk = rowsPerStatement(columns.length);
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.slice(start, start + chunk);
    const text = insertSqlFor(db, table, columns, part.length, { columns: keyColumns, action: 'update' });
    await db.executeQuery(CompiledQuery.raw(text, parametersOf(part, columns)));
  }
}
