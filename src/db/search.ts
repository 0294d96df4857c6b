// `search=` on lists: a case-insensitive "contains" over some text columns, with `%`, `_` and `\` taken
// literally. The escape character is named because SQLite has no default one.
import { sql, type RawBuilder } from 'kysely';

/** A LIKE pattern for "contains" `term` (lower-cased, wildcards escaped). */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}

/** `lower(expression) like pattern escape '\'`. */
export function likeContains(expression: RawBuilder<unknown>, pattern: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${expression}) like ${pattern} escape '\\'`;
}

/** One condition per column of `table`: any of them containing `term` matches. */
export function columnsContain(table: string, columns: readonly string[], term: string): RawBuilder<boolean>[] {
  const pattern = containsPattern(term);
  return columns.map((column) => likeContains(sql.ref(`${table}.${column}`), pattern));
}
