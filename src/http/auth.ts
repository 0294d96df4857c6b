// Paddle's authentication: `Authorization: Bearer <key>` (any case of "bearer", as the Node SDK sends it).
// Every failure is a 403, with Paddle's four codes.
import type { Db } from '../db/database.js';
import { PaddleError } from '../kernel/errors.js';
import { grants } from '../kernel/permissions.js';
import { authenticateKey, type KeyHolder, type RowToRead } from '../modules/api-keys/service.js';

/** Who is calling: the holder of the presented API key (its tenant, permissions, clock offset and portal). */
export type Caller = KeyHolder;

const missing = () => new PaddleError('authentication_missing');
const malformed = () => new PaddleError('authentication_malformed');
const invalidToken = () => new PaddleError('invalid_token');

/**
 * The caller presenting `header`, or a 403. `read`: the row the operation answers (see `authenticateKey`), read with
 * the key where that saves a round trip.
 */
export async function authenticate(
  db: Db,
  header: string | undefined,
  nowStored: () => string,
  read?: RowToRead,
): Promise<Caller> {
  if (header === undefined || header.trim() === '') throw missing();
  const match = /^bearer (\S+)$/i.exec(header.trim());
  if (!match) throw malformed();
  const caller = await authenticateKey(db, match[1] as string, nowStored, read);
  if (!caller) throw invalidToken();
  return caller;
}

export function requirePermissions(caller: Caller, required: readonly string[]): void {
  if (!required.every((permission) => grants(caller.permissions, permission))) throw new PaddleError('forbidden');
}

export function hasPermission(caller: Caller, permission: string): boolean {
  return grants(caller.permissions, permission);
}
