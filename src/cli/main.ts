// The `paddock` command: `serve` (the default) and `keys create`.
import { Command, Option } from 'commander';
import { readConfig } from '../config.js';
import { WallClock } from '../kernel/clock.js';
import { ALL_PERMISSIONS } from '../kernel/permissions.js';
import { serve, prepareDatabase } from '../main.js';
import { createApiKey, revokeKey } from '../modules/api-keys/service.js';
import { parseApiKey } from '../modules/api-keys/key-format.js';
import { DEFAULT_SELLER_ID } from '../modules/sellers/service.js';

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

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
