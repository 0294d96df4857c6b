// Paddle IDs: a prefix and 26 lowercase Crockford base32 ULID characters. ULIDs sort by creation time,
// which is what makes them usable as pagination cursors.
import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

export const ID_PREFIXES = {
  address: 'add',
  adjustment: 'adj',
  adjustment_item: 'adjitm',
  api_key: 'apikey',
  business: 'biz',
  customer: 'ctm',
  customer_portal: 'cpl',
  customer_portal_session: 'cpls',
  discount: 'dsc',
  discount_group: 'dsg',
  event: 'evt',
  notification: 'ntf',
  notification_log: 'ntflog',
  notification_setting: 'ntfset',
  payment_method: 'paymtd',
  portal_token: 'pga',
  price: 'pri',
  product: 'pro',
  seller: 'sel',
  subscription: 'sub',
  transaction: 'txn',
  transaction_item: 'txnitm',
  invoice: 'inv',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

// ulid asks its random source once per character; one system call per character is most of the cost of an id,
// so cryptographic random bytes are drawn 4 KiB at a time and handed out one by one.
const pool = Buffer.alloc(4096);
let poolIndex = pool.length;

function pooledRandom(): number {
  if (poolIndex >= pool.length) {
    randomFillSync(pool);
    poolIndex = 0;
  }
  return (pool[poolIndex++] as number) / 256;
}

// @NOTE monotonic within this process: two ids made in the same millisecond still sort in creation order.
const nextUlid = monotonicFactory(pooledRandom);

/** A new id for `kind`, from the given epoch milliseconds (the caller's clock). */
export function newId(kind: IdKind, epochMillis: number): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(epochMillis).toLowerCase()}`;
}

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[a-z\\d]{26}$`);
}

export function isId(kind: IdKind, value: string): boolean {
  return idPattern(kind).test(value);
}
