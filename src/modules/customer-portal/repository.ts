// The SQL of the customer portal: its server-side session records, its email sign-ins and its rate-limit hits.
import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import type {
  PortalSessionRow,
  PortalSignInRow,
  PortalSignInsTable,
  RateLimitHitsTable,
  Tenant,
} from '../../db/tables.js';
import { tenantDelete, tenantRows, tenantUpdate } from '../../db/tenant-rows.js';

export async function insertPortalSession(db: Db, row: PortalSessionRow): Promise<void> {
  await db.insertInto('portal_sessions').values(row).execute();
}

/** The session with this id hash, ended or not; undefined when there is none. */
export async function findPortalSession(db: Db, tenant: Tenant, idHash: string): Promise<PortalSessionRow | undefined> {
  return tenantRows(db, 'portal_sessions', tenant).where('id_hash', '=', idHash).selectAll().executeTakeFirst();
}

/** Marks the session ended at `at` (a second sign-out changes nothing). */
export async function endPortalSession(db: Db, tenant: Tenant, idHash: string, at: string): Promise<void> {
  await tenantUpdate(db, 'portal_sessions', tenant)
    .set({ ended_at: at })
    .where('id_hash', '=', idHash)
    .where('ended_at', 'is', null)
    .execute();
}

// ---- Sign-ins by email ----------------------------------------------------------------------------------------

export async function insertSignIn(db: Db, row: Insertable<PortalSignInsTable>): Promise<void> {
  await db.insertInto('portal_sign_ins').values(row).execute();
}

/** The sign-in whose link has this hash; undefined when there is none. */
export async function findSignInByLink(db: Db, tenant: Tenant, linkHash: string): Promise<PortalSignInRow | undefined> {
  return tenantRows(db, 'portal_sign_ins', tenant).where('link_hash', '=', linkHash).selectAll().executeTakeFirst();
}

/** The newest sign-in not yet used for this address (expired or not); undefined when there is none. */
export async function newestUnusedSignIn(
  db: Db,
  tenant: Tenant,
  emailKey: string,
): Promise<PortalSignInRow | undefined> {
  return tenantRows(db, 'portal_sign_ins', tenant)
    .where('email_key', '=', emailKey)
    .where('used_at', 'is', null)
    .orderBy('expires_at', 'desc')
    .selectAll()
    .executeTakeFirst();
}

/**
 * Marks the sign-in used at `at` if it still was usable (not used, not expired at `at`): true when this call did
 * it. One UPDATE with the condition in its WHERE: of two concurrent calls exactly one sees a row changed.
 */
export async function useSignIn(db: Db, tenant: Tenant, id: string, at: string): Promise<boolean> {
  const result = await tenantUpdate(db, 'portal_sign_ins', tenant)
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends every sign-in of the address still pending (another one of them was just used). */
export async function endPendingSignIns(db: Db, tenant: Tenant, emailKey: string, at: string): Promise<void> {
  await tenantUpdate(db, 'portal_sign_ins', tenant)
    .set({ used_at: at })
    .where('email_key', '=', emailKey)
    .where('used_at', 'is', null)
    .execute();
}

/**
 * Takes one try from the code of every usable sign-in of the address (not used, not expired at `at`, fewer than
 * `maxTries` tries so far) and returns those rows with their new count. One UPDATE … RETURNING: a try is taken
 * before the code is compared, so concurrent guesses cannot get more than `maxTries` comparisons per code.
 */
export async function takeCodeTry(
  db: Db,
  tenant: Tenant,
  emailKey: string,
  at: string,
  maxTries: number,
): Promise<Array<Pick<PortalSignInRow, 'id' | 'customer_id' | 'code_hash' | 'code_attempts'>>> {
  return tenantUpdate(db, 'portal_sign_ins', tenant)
    .set((eb) => ({ code_attempts: eb('code_attempts', '+', 1) }))
    .where('email_key', '=', emailKey)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .where('code_attempts', '<', maxTries)
    .returning(['id', 'customer_id', 'code_hash', 'code_attempts'])
    .execute();
}

/** Forgets the tenant's sign-ins that expired before `before`, used or not. */
export async function deleteSignInsExpiredBefore(db: Db, tenant: Tenant, before: string): Promise<void> {
  await tenantDelete(db, 'portal_sign_ins', tenant).where('expires_at', '<', before).execute();
}

// ---- Rate-limit hits --------------------------------------------------------------------------------------

export async function insertRateLimitHit(db: Db, row: RateLimitHitsTable): Promise<void> {
  await db.insertInto('rate_limit_hits').values(row).execute();
}

export async function deleteRateLimitHit(db: Db, tenant: Tenant, id: string): Promise<void> {
  await tenantDelete(db, 'rate_limit_hits', tenant).where('id', '=', id).execute();
}

export async function deleteRateLimitHitsBefore(db: Db, tenant: Tenant, bucket: string, before: string): Promise<void> {
  await tenantDelete(db, 'rate_limit_hits', tenant).where('bucket', '=', bucket).where('at', '<', before).execute();
}

/** How many hits of the subject the limit has counted since `since` (inclusive). */
export async function countRateLimitHits(
  db: Db,
  tenant: Tenant,
  bucket: string,
  subjectHash: string,
  since: string,
): Promise<number> {
  const row = await db
    .selectFrom('rate_limit_hits')
    .where('seller_id', '=', tenant.seller_id)
    .where('environment', '=', tenant.environment)
    .where('bucket', '=', bucket)
    .where('subject_hash', '=', subjectHash)
    .where('at', '>=', since)
    .select((eb) => eb.fn.countAll<number | bigint>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
