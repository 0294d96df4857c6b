// Paddle IDs: a prefix and 26 lowercase Crockford base32 ULID characters. ULIDs sort by creation time,
// which is what makes them usable as pagination cursors (`after=` on every list, event polling included).
import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { WallClock } from './clock.js';

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

// @NOTE an id's time is the wall clock's, never a sandbox clock's. Ids must sort in the order rows are made, in
// every tenant and every process: with a tenant's clock, one seller's clock advanced a year carried every later id
// of the process (other sellers' too) a year ahead through the monotonic factory, and due work run at its own
// past instant got ids older than rows made before it, so `GET /events?after=<last id>` skipped its events.
// Times users read (created_at, occurred_at) stay on the tenant's clock.
const idClock = new WallClock();

/**
 * A new id for `kind`: Paddle's `{prefix}_` and a lowercase ULID whose time part is the wall clock's millisecond,
 * so ids sort in creation order across tenants and processes (processes on one machine; across machines, within
 * their clocks' skew).
 */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(idClock.epochMilliseconds()).toLowerCase()}`;
}

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[a-z\\d]{26}$`);
}

export function isId(kind: IdKind, value: string): boolean {
  return idPattern(kind).test(value);
}
