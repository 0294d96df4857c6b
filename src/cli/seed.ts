// `paddock seed <file>`: the seed helper (modules/test-helpers/seed.ts) on the configured database, from a JSON or
// YAML file, with a progress bar on the terminal for large seeds.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import cliProgress from 'cli-progress';
import { parse as parseYaml } from 'yaml';
import { readConfig } from '../config.js';
import type { OpenDatabase } from '../db/database.js';
import { validateBody } from '../http/openapi.js';
import { tenantClock, type Clock } from '../kernel/clock.js';
import { PADDOCK_WIRING } from '../modules/index.js';
import { portalOfTenant } from '../modules/sellers/service.js';
import { readSeedDocument, seedSandbox, seedSize, type SeedIds } from '../modules/test-helpers/seed.js';

/** Seeds below this many entities finish before a bar would tell anything. */
const BAR_FROM = 50;

/** Reads `file` (YAML when it ends in .yaml or .yml, JSON otherwise) and seeds the seller's sandbox from it. */
export async function seedFromFile(
  database: OpenDatabase,
  wallClock: Clock,
  sellerId: string,
  file: string,
): Promise<SeedIds> {
  const text = await readFile(file, 'utf8');
  const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
  const document = readSeedDocument(yaml ? parseYaml(text) : JSON.parse(text));
  const tenant = { seller_id: sellerId, environment: 'sandbox' as const };
  const portal = await portalOfTenant(database.db, tenant).catch(() => {
    throw new Error(`no seller ${sellerId} with a sandbox (see: paddock sellers list)`);
  });
  const ctx = {
    db: database.db,
    dialect: database.dialect,
    clock: tenantClock(wallClock, portal),
    tenant,
    config: readConfig(process.env),
    wiring: PADDOCK_WIRING,
  };
  const total = seedSize(document);
  const bar =
    process.stderr.isTTY && total >= BAR_FROM
      ? new cliProgress.SingleBar({ stream: process.stderr, format: 'seeding [{bar}] {value}/{total} {eta_formatted}' })
      : undefined;
  bar?.start(total, 0);
  try {
    return await seedSandbox(ctx, portal, document, { check: validateBody, onProgress: (done) => bar?.update(done) });
  } finally {
    bar?.stop();
  }
}
