// The query planner's statistics kept fresh (issue #10 item 6). PostgreSQL picks among a table's indexes by its
// statistics; a table never analyzed (autovacuum off, or not yet run) looks empty, and the planner then reads a
// tenant's rows by any index that starts with (seller_id, environment), filtering every one of them, instead of
// the primary key: a by-id lookup became a scan of the tenant. This analyzes a table once it changed as much as
// autovacuum's own default would wait for (50 rows + 10 %), whether or not autovacuum runs. SQLite: `PRAGMA
// optimize`, its cheap equivalent (it analyzes only what needs it).
import { sql } from 'kysely';
import type { Db, Dialect } from './database.js';

/** autovacuum_analyze_threshold and autovacuum_analyze_scale_factor's defaults. */
const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE = 0.1;

/** Analyzes the tables of the current schema that changed enough since their last analysis; answers their names. */
export async function refreshPlannerStatistics(db: Db, dialect: Dialect): Promise<string[]> {
  if (dialect === 'sqlite') {
    await sql`pragma optimize`.execute(db);
    return [];
  }
  // @NOTE a table never analyzed has reltuples -1 (PostgreSQL 14+): analyzed at once, since the change counters
  // reach pg_stat_user_tables only about a second after the writes that made them.
  const stale = await sql<{ relname: string }>`
    select s.relname from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema()
      and (c.reltuples < 0
        or s.n_mod_since_analyze > ${sql.lit(ANALYZE_THRESHOLD)} + ${sql.lit(ANALYZE_SCALE)} * s.n_live_tup)`.execute(
    db,
  );
  const names = stale.rows.map((row) => row.relname).filter((name) => /^[a-z_][a-z0-9_]*$/.test(name));
  for (const name of names) await sql`analyze ${sql.id(name)}`.execute(db);
  return names;
}
