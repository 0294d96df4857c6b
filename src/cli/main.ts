// The `paddock` command: `serve` (the default), `keys create|revoke`, `sellers create|list|delete|payouts`, `seed`.
import { Command, Option } from 'commander';
import { readConfig } from '../config.js';
import { WallClock } from '../kernel/clock.js';
import { ALL_PERMISSIONS } from '../kernel/permissions.js';
import { serve, prepareDatabase } from '../main.js';
import { createApiKey, revokeKey } from '../modules/api-keys/service.js';
import { parseApiKey } from '../modules/api-keys/key-format.js';
import { DEFAULT_SELLER_ID, sellerPayouts, setSellerPayouts } from '../modules/sellers/service.js';
import { deleteMadeSeller, listMadeSellers, makeSeller, readSellerRequest } from '../modules/test-helpers/sellers.js';
import { PaddleError } from '../kernel/errors.js';
import type { OpenDatabase } from '../db/database.js';
import { seedFromFile } from './seed.js';

const program = new Command('paddock').description(
  'A self-hostable Paddle Billing API v1 server with the customer portal',
);

program
  .command('serve', { isDefault: true })
  .description('start the server (configuration from the environment, see README)')
  .option('--port <port>', 'HTTP port (PORT)')
  .option('--host <host>', 'bind address (HOST)')
  .option('--database-url <url>', 'sqlite:<file>, sqlite::memory: or postgres://… (DATABASE_URL)')
  .option('--public-url <url>', 'base URL clients reach (PADDOCK_PUBLIC_URL)')
  .action(async (options: { port?: string; host?: string; databaseUrl?: string; publicUrl?: string }) => {
    const env = { ...process.env };
    if (options.port !== undefined) env.PORT = options.port;
    if (options.host !== undefined) env.HOST = options.host;
    if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
    if (options.publicUrl !== undefined) env.PADDOCK_PUBLIC_URL = options.publicUrl;
    await serve(env);
  });

const keys = program.command('keys').description('manage API keys of the default seller');
keys
  .command('create')
  .description('create an API key and print it (shown only once)')
  .addOption(
    new Option('--environment <environment>', 'sandbox or live').choices(['sandbox', 'live']).makeOptionMandatory(),
  )
  .option('--permissions <list>', 'comma-separated, e.g. product.read,customer.write (default: all)')
  .option('--name <name>', 'a name to recognise the key by', 'CLI key')
  .action(async (options: { environment: 'sandbox' | 'live'; permissions?: string; name: string }) => {
    const config = readConfig(process.env);
    const clock = new WallClock();
    const { database, keyLines } = await prepareDatabase(config, clock);
    // @NOTE on a new database the bootstrap keys are generated here; this is the only time they can be shown.
    for (const line of keyLines.filter((l) => l.includes('generated now'))) console.error(line);
    try {
      const permissions = options.permissions
        ? options.permissions
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean)
        : ALL_PERMISSIONS;
      const created = await createApiKey(
        database.db,
        clock,
        { seller_id: DEFAULT_SELLER_ID, environment: options.environment },
        {
          name: options.name,
          permissions,
        },
      );
      console.log(created.key);
      console.error(`created ${created.id} (${options.environment}) with: ${created.permissions.join(', ')}`);
    } finally {
      await database.close();
    }
  });

keys
  .command('revoke')
  .description('revoke an API key (give the key itself or its apikey_ id); requests with it then get 403 invalid_token')
  .argument('<key-or-id>', 'pdl_…_apikey_… key, or apikey_… id')
  .addOption(
    new Option('--environment <environment>', 'sandbox or live (needed with an id)').choices(['sandbox', 'live']),
  )
  .action(async (keyOrId: string, options: { environment?: 'sandbox' | 'live' }) => {
    const parsed = parseApiKey(keyOrId);
    const environment = parsed?.environment ?? options.environment;
    const id = parsed?.apiKeyId ?? keyOrId;
    if (!environment) throw new Error('give --environment with an apikey_ id');
    const config = readConfig(process.env);
    const clock = new WallClock();
    const { database } = await prepareDatabase(config, clock);
    try {
      const revoked = await revokeKey(database.db, clock, { seller_id: DEFAULT_SELLER_ID, environment }, id);
      if (!revoked) throw new Error(`no ${environment} key ${id}`);
      console.error(`revoked ${id} (${environment})`);
    } finally {
      await database.close();
    }
  });

/** Runs `work` on the configured database (migrated, the default seller made), then closes it. */
async function withDatabase<T>(work: (database: OpenDatabase, clock: WallClock) => Promise<T>): Promise<T> {
  const config = readConfig(process.env);
  const clock = new WallClock();
  const { database, keyLines } = await prepareDatabase(config, clock);
  // @NOTE on a new database the bootstrap keys are generated here; this is the only time they can be shown.
  for (const line of keyLines.filter((l) => l.includes('generated now'))) console.error(line);
  try {
    return await work(database, clock);
  } finally {
    await database.close();
  }
}

const sellers = program
  .command('sellers')
  .description('sellers on demand: each with its own sandbox (and live), portal, clock and keys (for tests)');
sellers
  .command('create')
  .description('create a seller and print it as JSON, with its API keys (shown only once)')
  .option('--name <name>', 'a name to recognise the seller by', 'Test seller')
  .option('--live', 'also give it a live environment')
  .option('--permissions <list>', 'comma-separated permissions of its keys (default: all)')
  .option('--frozen-at <instant>', 'RFC 3339 instant its sandbox clock stands at until advanced')
  .action(async (options: { name: string; live?: boolean; permissions?: string; frozenAt?: string }) => {
    const request = readSellerRequest({
      name: options.name,
      live: options.live === true,
      ...(options.permissions !== undefined ? { permissions: splitList(options.permissions) } : {}),
      ...(options.frozenAt !== undefined ? { clock: { frozen_at: options.frozenAt } } : {}),
    });
    const seller = await withDatabase((database, clock) => makeSeller(database.db, clock, null, request));
    console.log(JSON.stringify(seller, null, 2));
  });
sellers
  .command('list')
  .description('list every seller: id, environments, created at, name')
  .action(async () => {
    const rows = await withDatabase((database) => listMadeSellers(database.db));
    for (const row of rows) console.log([row.id, row.environments.join(','), row.created_at, row.name].join('\t'));
  });
sellers
  .command('delete')
  .description('delete a seller and every row it owns (never the default seller)')
  .argument('<seller-id>', 'sel_…')
  .action(async (sellerId: string) => {
    const deleted = await withDatabase((database) => deleteMadeSeller(database.db, database.dialect, sellerId, null));
    const rows = Object.values(deleted).reduce((sum, n) => sum + n, 0);
    console.error(`deleted ${sellerId} (${rows} rows)`);
  });

sellers
  .command('payouts')
  .description(
    "show, or change, a seller's balance currency and fee model (payout_totals, totals.fee); " +
      "Paddle's 5% + 50¢ in USD unless changed",
  )
  .option('--seller <seller-id>', 'sel_… (default: the default seller)', DEFAULT_SELLER_ID)
  .option('--balance-currency <code>', 'currency payouts are converted into: AUD, CAD, CHF, CNY, CZK, DKK, EUR, GBP, …')
  .option('--fee-rate <rate>', 'share of each grand total, e.g. 0.05')
  .option('--fee-fixed <minor-units>', 'fixed fee per transaction in minor units, e.g. 50')
  .option('--fee-fixed-currency <code>', 'currency of the fixed fee, e.g. USD')
  .action(
    async (options: {
      seller: string;
      balanceCurrency?: string;
      feeRate?: string;
      feeFixed?: string;
      feeFixedCurrency?: string;
    }) => {
      const settings = await withDatabase(async (database) => {
        const current = await sellerPayouts(database.db, options.seller);
        const fixedChanged = options.feeFixed !== undefined || options.feeFixedCurrency !== undefined;
        return setSellerPayouts(database.db, options.seller, {
          ...(options.balanceCurrency ? { balanceCurrency: options.balanceCurrency.toUpperCase() } : {}),
          ...(options.feeRate ? { feeRate: options.feeRate } : {}),
          ...(fixedChanged
            ? {
                feeFixed: {
                  amount: options.feeFixed === undefined ? current.feeModel.fixed.amount : BigInt(options.feeFixed),
                  currency: options.feeFixedCurrency?.toUpperCase() ?? current.feeModel.fixed.currency,
                },
              }
            : {}),
        });
      });
      console.log(
        `${options.seller}: balance currency ${settings.balanceCurrency}; fee ${settings.feeModel.rate} of the grand ` +
          `total + ${settings.feeModel.fixed.amount} ${settings.feeModel.fixed.currency} minor units per transaction`,
      );
    },
  );

program
  .command('seed')
  .description(
    'make the products, prices, discounts, customers and paid subscriptions a file names, in one transaction',
  )
  .argument('<file>', 'JSON or YAML (.yaml, .yml): sections products, prices, discounts, customers, subscriptions')
  .option('--seller <id>', 'the seller whose sandbox to seed', DEFAULT_SELLER_ID)
  .action(async (file: string, options: { seller: string }) => {
    const ids = await withDatabase((database, clock) => seedFromFile(database, clock, options.seller, file));
    console.log(JSON.stringify(ids, null, 2));
  });

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A refusal as a line a person reads: the detail, then each field's message. */
function describeError(error: unknown): string {
  if (error instanceof PaddleError) {
    const fields = (error.errors ?? []).map((e) => `  ${e.field}: ${e.message}`);
    return [error.detail, ...fields].join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(describeError(error));
  process.exit(1);
});
