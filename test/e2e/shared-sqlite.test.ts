// Two processes on one SQLite file: what one writes, the other sees on its very next request, although it
// keeps API keys it has already read (the cache is checked against the database's change token).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { buildApp } from '../../src/app.js';
import { readConfig } from '../../src/config.js';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import { WallClock } from '../../src/kernel/clock.js';
import { Temporal } from '../../src/kernel/time.js';
import { createApiKey, revokeKey } from '../../src/modules/api-keys/service.js';
import { ALL_PERMISSIONS } from '../../src/kernel/permissions.js';
import { DEFAULT_SELLER_ID, ensureSeller } from '../../src/modules/sellers/service.js';
import { updateClockOffset } from '../../src/modules/sellers/repository.js';

const dir = mkdtempSync(join(tmpdir(), 'paddock-shared-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('sees another connection’s clock moves and key revocations on the next request', async () => {
  const url = `sqlite:${join(dir, 'shared.db')}`;
  const first = openDatabase(url);
  const second = openDatabase(url);
  const clock = new WallClock();
  await migrateToLatest(first.db);
  await ensureSeller(first.db, clock, DEFAULT_SELLER_ID, 'Shared');
  const tenant = { seller_id: DEFAULT_SELLER_ID, environment: 'sandbox' as const };
  const { key, id } = await createApiKey(first.db, clock, tenant, { name: 'shared', permissions: ALL_PERMISSIONS });
  const app = await buildApp({
    db: first.db,
    dialect: 'sqlite',
    config: readConfig({ PORT: '0', LOG_LEVEL: 'silent' }, 1),
    wallClock: clock,
  });
  try {
    const now = async () => {
      const res = await app.inject({
        method: 'GET',
        url: '/test-helpers/clock',
        headers: { authorization: `Bearer ${key}` },
      });
      return res;
    };
    const before = Temporal.Instant.from((await now()).json().data.now);
    // The other "process" moves the sandbox clock a year on.
    await updateClockOffset(second.db, tenant, 365n * 24n * 3600n * 1_000_000n);
    const moved = Temporal.Instant.from((await now()).json().data.now);
    assert.ok(Number(before.until(moved).total('days')) > 364, 'the move is seen at once');
    // …and revokes the key.
    assert.ok(await revokeKey(second.db, clock, tenant, id));
    const refused = await now();
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.code, 'invalid_token');
  } finally {
    await app.close();
    await first.close();
    await second.close();
  }
});
