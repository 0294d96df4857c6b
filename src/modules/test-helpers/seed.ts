// Seed data (#15): a known catalog in one request (or `paddock seed <file>`), so a test suite starts from it.
// Products, prices, discounts, customers with an address, and subscriptions paid with a chosen sandbox card, each
// under a name the document gives it; the answer maps every name to the id made. Everything is made through the
// same use cases as the API (the same checks, events and entities), inside ONE database transaction: a document
// with one bad entry makes nothing.
import { withBatchTransaction, type Ctx, type TxCtx } from '../../context.js';
import { invalidField, PaddleError, type FieldError } from '../../kernel/errors.js';
import type { OperationBody, OperationId } from '../../spec/operations.js';
import { createAddress } from '../addresses/service.js';
import { createCustomer } from '../customers/service.js';
import { createDiscount } from '../discounts/service.js';
import { createPrice } from '../prices/service.js';
import { createProduct } from '../products/service.js';
import type { PortalRef } from '../transactions/entity.js';
import { createTransaction } from '../transactions/service.js';
import { payAsCustomer } from './pay.js';

/** Checks a request body against Paddle's spec for the operation (http/openapi.ts `validateBody`). */
export type BodyCheck = <Id extends OperationId>(operationId: Id, body: unknown) => asserts body is OperationBody<Id>;

type Entries = Record<string, Record<string, unknown>>;

/**
 * The document, each section a map of name → entry: `products` (create-product bodies), `prices` (create-price,
 * with `product: <name>` instead of `product_id` if wanted), `discounts` (create-discount), `customers`
 * (create-customer, plus an optional `address`: a create-address body) and `subscriptions` (`customer: <name>`,
 * `items: [{ price: <name> | price_id, quantity }]`, optional `card` (default 4242 4242 4242 4242), `discount:
 * <name>`, `currency_code`, `custom_data`).
 */
export interface SeedDocument {
  products: Entries;
  prices: Entries;
  discounts: Entries;
  customers: Entries;
  subscriptions: Entries;
}

export const SEED_SECTIONS = ['products', 'prices', 'discounts', 'customers', 'subscriptions'] as const;
type Section = (typeof SEED_SECTIONS)[number];

/** Name → id for each kind made (addresses and transactions under their customer's and subscription's name). */
export type SeedIds = Record<Section | 'addresses' | 'transactions', Record<string, string>>;

/** Permissions a key needs to seed: the write permission of everything a document can make. */
export const SEED_PERMISSIONS = [
  'product.write',
  'price.write',
  'discount.write',
  'customer.write',
  'address.write',
  'transaction.write',
  'subscription.write',
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the document's shape: an object of the five sections, each a map of names to objects.
 * @throws PaddleError `invalid_field` naming every section or entry that is not so.
 */
export function readSeedDocument(document: unknown): SeedDocument {
  if (!isObject(document)) throw invalidField([{ field: 'body', message: 'must be an object of sections' }]);
  const errors: FieldError[] = Object.keys(document)
    .filter((key) => !(SEED_SECTIONS as readonly string[]).includes(key))
    .map((field) => ({ field, message: `property is not allowed (sections: ${SEED_SECTIONS.join(', ')})` }));
  const read = {} as SeedDocument;
  for (const section of SEED_SECTIONS) {
    const entries = document[section] ?? {};
    if (!isObject(entries)) {
      errors.push({ field: section, message: 'must be an object of names to entries' });
      continue;
    }
    for (const [name, entry] of Object.entries(entries))
      if (!isObject(entry)) errors.push({ field: `${section}.${name}`, message: 'must be an object' });
    read[section] = entries as Entries;
  }
  if (errors.length > 0) throw invalidField(errors);
  return read;
}

/** How many entities a document makes (the progress bar's total). */
export function seedSize(document: SeedDocument): number {
  return SEED_SECTIONS.reduce((sum, section) => sum + Object.keys(document[section]).length, 0);
}

export interface SeedOptions {
  check: BodyCheck;
  /** Called after each entity with the count made so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Makes everything the document names in the tenant of `ctx`, in one database transaction, and answers the ids.
 * @throws PaddleError the first refusal, its fields prefixed with the entry (`prices.pro_monthly.unit_price.amount`)
 * and its detail with the entry's name; nothing is kept then.
 */
export async function seedSandbox(
  ctx: Ctx,
  portal: PortalRef,
  document: SeedDocument,
  options: SeedOptions,
): Promise<SeedIds> {
  const ids: SeedIds = {
    products: {},
    prices: {},
    discounts: {},
    customers: {},
    addresses: {},
    subscriptions: {},
    transactions: {},
  };
  const total = seedSize(document);
  let done = 0;
  const made = () => options.onProgress?.((done += 1), total);
  // @NOTE one unit of a batch transaction (all or nothing still): its scope writes the dozen events of each
  // subscription in multi-row inserts and the invoice counter once, and reads the portal, fee model and webhook
  // destinations once, as for a batch of renewals (context.ts `withBatchTransaction`).
  await withBatchTransaction(ctx, (batch) =>
    batch.unit(async (ctx) => {
      const seeder = new Seeder(ctx, portal, ids, options.check);
      for (const section of SEED_SECTIONS) {
        for (const [name, entry] of Object.entries(document[section])) {
          await entryErrors(`${section}.${name}`, () => seeder[section](name, entry));
          made();
        }
      }
    }),
  );
  return ids;
}

/** Runs one entry, naming it in whatever it throws. */
async function entryErrors(path: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof PaddleError)) throw error;
    const errors = error.errors?.map((e) => ({ field: `${path}.${e.field}`, message: e.message }));
    throw new PaddleError(error.code, `${path}: ${error.detail}`, errors);
  }
}

/** One entry of each section made through the API's use cases, names resolved to the ids made before. */
class Seeder {
  readonly #check: BodyCheck;

  constructor(
    private readonly ctx: TxCtx,
    private readonly portal: PortalRef,
    private readonly ids: SeedIds,
    check: BodyCheck,
  ) {
    this.#check = check;
  }

  async products(name: string, entry: Record<string, unknown>): Promise<void> {
    const check: BodyCheck = this.#check;
    check('create-product', entry);
    this.ids.products[name] = (await createProduct(this.ctx, entry)).id;
  }

  async prices(name: string, entry: Record<string, unknown>): Promise<void> {
    const { product, ...rest } = entry;
    const body = product === undefined ? rest : { ...rest, product_id: this.named('products', product, 'product') };
    const check: BodyCheck = this.#check;
    check('create-price', body);
    this.ids.prices[name] = (await createPrice(this.ctx, body)).id;
  }

  async discounts(name: string, entry: Record<string, unknown>): Promise<void> {
    const check: BodyCheck = this.#check;
    check('create-discount', entry);
    this.ids.discounts[name] = (await createDiscount(this.ctx, entry)).id;
  }

  async customers(name: string, entry: Record<string, unknown>): Promise<void> {
    const { address, ...body } = entry;
    const check: BodyCheck = this.#check;
    check('create-customer', body);
    if (address !== undefined) {
      try {
        check('create-address', address);
      } catch (error) {
        throw prefixed(error, 'address');
      }
    }
    const customer = await createCustomer(this.ctx, body);
    this.ids.customers[name] = customer.id;
    if (address !== undefined) this.ids.addresses[name] = (await createAddress(this.ctx, customer.id, address)).id;
  }

  async subscriptions(name: string, entry: Record<string, unknown>): Promise<void> {
    const { customer, items, card, discount, ...rest } = entry;
    const customerId = this.named('customers', customer, 'customer');
    const addressId = this.ids.addresses[String(customer)];
    if (!addressId)
      throw invalidField([{ field: 'customer', message: 'the customer needs an `address` to subscribe' }]);
    const body = {
      ...rest,
      items: this.items(items),
      customer_id: customerId,
      address_id: addressId,
      ...(discount !== undefined ? { discount_id: this.named('discounts', discount, 'discount') } : {}),
    };
    const check: BodyCheck = this.#check;
    check('create-transaction', body);
    const txn = await createTransaction(this.ctx, this.portal, body);
    const paid = await payAsCustomer(this.ctx, this.portal, txn.id, card === undefined ? {} : { card_number: card });
    if (paid.status !== 'completed' || !paid.subscription_id)
      throw invalidField([{ field: 'card', message: `the payment was declined: a seeded subscription must be paid` }]);
    this.ids.transactions[name] = txn.id;
    this.ids.subscriptions[name] = paid.subscription_id;
  }

  /** `[{ price: <name> | price_id: <id>, quantity }]` with names resolved. */
  private items(items: unknown): unknown {
    if (!Array.isArray(items)) return items;
    return items.map((item: unknown, i) => {
      if (!isObject(item) || item.price === undefined) return item;
      const { price, ...rest } = item;
      return { ...rest, price_id: this.named('prices', price, `items[${i}].price`) };
    });
  }

  /** The id made for `name` earlier in the document. */
  private named(section: Section, name: unknown, field: string): string {
    const id = typeof name === 'string' ? this.ids[section][name] : undefined;
    if (!id) throw invalidField([{ field, message: `names no entry of \`${section}\` above` }]);
    return id;
  }
}

function prefixed(error: unknown, prefix: string): unknown {
  if (!(error instanceof PaddleError)) return error;
  const errors = error.errors?.map((e) => ({ field: `${prefix}.${e.field}`, message: e.message }));
  return new PaddleError(error.code, error.detail, errors);
}
