// The layer rules: ARCHITECTURE.md's table is the one eslint.config.js enforces (word for word), and the rules
// refuse what the house style forbids (a layer importing past its table, SQL or the wall clock outside their
// place, import cycles) while letting the allowed imports through.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface LintConfigModule {
  layerTable(): string;
}
interface CyclesModule {
  paddockPlugin: NonNullable<Linter.Config['plugins']>[string];
}

// @NOTE plain JavaScript modules, loaded by URL so the type checker does not follow them.
const config = (await import(new URL('eslint.config.js', `file://${root}/`).href)) as LintConfigModule;
const cycles = (await import(new URL('eslint/no-import-cycles.js', `file://${root}/`).href)) as CyclesModule;

const eslint = new ESLint({ cwd: root });

/** The rule ids ESLint reports for `code` as if it were the file at `path` (relative to the repository root). */
async function findings(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('ARCHITECTURE.md', () => {
  it('holds the layer table eslint.config.js enforces, word for word', () => {
    const doc = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
    const match = /<!-- layers: rendered from eslint.config.js -->\n([\s\S]*?)<!-- \/layers -->/.exec(doc);
    assert.ok(match, 'ARCHITECTURE.md has the layer table between its markers');
    assert.equal(match[1], `${config.layerTable()}\n`, 'run `npm run docs:layers` and paste its table');
  });
});

describe('layer rules', () => {
  it('let a service use its own repository, another module’s service, and db types', async () => {
    const code = [
      "import type { Executor } from '../../db/database.js';",
      "import { findProduct } from './repository.js';",
      "import { getCustomerRow } from '../customers/service.js';",
      'export const uses = [findProduct, getCustomerRow] as const;',
      'export type Uses = Executor;',
    ].join('\n');
    assert.deepEqual(await findings('src/modules/products/lint-probe.ts', code), []);
  });

  it('refuse billing importing the database', async () => {
    const code = "import { tenantRows } from '../db/tenant-rows.js';\nexport const probe = tenantRows;\n";
    assert.deepEqual(await findings('src/billing/lint-probe.ts', code), ['boundaries/dependencies']);
  });

  it('refuse a module reaching into another module’s repository', async () => {
    const code =
      "import { lockSellerEnvironment } from '../sellers/repository.js';\nexport const probe = lockSellerEnvironment;\n";
    assert.deepEqual(await findings('src/modules/test-helpers/lint-probe.ts', code), ['boundaries/dependencies']);
  });

  it('refuse value imports of db where only its types are allowed', async () => {
    const code = "import { changeToken } from '../db/change-token.js';\nexport const probe = changeToken;\n";
    assert.deepEqual(await findings('src/http/lint-probe.ts', code), ['boundaries/dependencies']);
  });

  it('refuse SQL outside repositories and db/, and kysely there too', async () => {
    const code = [
      "import { sql } from 'kysely';",
      "import type { Executor } from '../db/database.js';",
      "export const probe = (db: Executor) => [db.selectFrom('events').selectAll().execute(), sql`select 1`];",
    ].join('\n');
    const found = await findings('src/jobs/lint-probe.ts', code);
    assert.deepEqual(found.sort(), ['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']);
  });

  it('let repositories write SQL', async () => {
    const code = [
      "import type { Executor } from '../../db/database.js';",
      "export const probe = (db: Executor) => db.selectFrom('events').selectAll().execute();",
    ].join('\n');
    assert.deepEqual(await findings('src/modules/products/repository.ts', code), []);
  });

  it('refuse the wall clock outside kernel/clock.ts, and default exports', async () => {
    const code = 'export default function probe() {\n  return [Date.now(), new Date()];\n}\n';
    const found = await findings('src/modules/products/lint-probe.ts', code);
    assert.deepEqual(found.sort(), ['no-restricted-exports', 'no-restricted-syntax', 'no-restricted-syntax']);
  });
});

describe('paddock/no-import-cycles', () => {
  const project = mkdtempSync(join(tmpdir(), 'paddock-cycles-'));
  after(() => rmSync(project, { recursive: true, force: true }));

  function write(path: string, code: string): void {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), code);
  }

  async function cycleFindings(): Promise<string[]> {
    const linter = new ESLint({
      cwd: project,
      overrideConfigFile: true,
      overrideConfig: [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tseslint.parser as Linter.Parser },
          plugins: { paddock: cycles.paddockPlugin },
          rules: { 'paddock/no-import-cycles': 'error' },
        },
      ],
    });
    const results = await linter.lintFiles(['src']);
    return results
      .flatMap((result) => result.messages.map((m) => `${result.filePath.slice(project.length + 1)}: ${m.message}`))
      .sort();
  }

  it('reports value cycles between files and any cycle between modules, not type-only file cycles', async () => {
    write('src/kernel/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
    write('src/kernel/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
    write('src/kernel/c.ts', "import type { D } from './d.js';\nexport type C = D;\n");
    write('src/kernel/d.ts', "import type { C } from './c.js';\nexport type D = C | 1;\n");
    write('src/modules/x/service.ts', "import type { Y } from '../y/service.js';\nexport type X = Y;\n");
    write(
      'src/modules/y/service.ts',
      "import { z } from '../x/helpers.js';\nexport type Y = 1;\nexport const y = z;\n",
    );
    write('src/modules/x/helpers.ts', 'export const z = 1;\n');
    write('src/modules/y/routes.ts', "import type { X } from '../x/service.js';\nexport type R = X;\n");
    assert.deepEqual(await cycleFindings(), [
      'src/kernel/a.ts: import cycle between files: src/kernel/a.ts → src/kernel/b.ts → src/kernel/a.ts',
      'src/kernel/b.ts: import cycle between files: src/kernel/b.ts → src/kernel/a.ts → src/kernel/b.ts',
      'src/modules/x/service.ts: import cycle between modules: x → y → x (routes.ts and module.ts may compose; use cases may not)',
      'src/modules/y/service.ts: import cycle between modules: y → x → y (routes.ts and module.ts may compose; use cases may not)',
    ]);
  });
});
