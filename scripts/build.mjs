// `npm run build` (and `prepare`, which `npm ci` runs): bundles the `paddock` command (src/cli/main.ts, what it
// imports and the packages those import) into one JavaScript file, dist/paddock.js, so a start neither compiles
// TypeScript nor resolves and loads hundreds of small package files (kysely alone is ~400). bin/paddock.mjs calls
// `ensureBuilt()`, which rebuilds first when a file under src/ is newer than the bundle (an edit, a checkout), so
// the command never runs stale code.
//
// @NOTE plain JavaScript (not TypeScript): it runs before anything is compiled, on a fresh clone.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = join(ROOT, 'src');
const ENTRY = join(SOURCES, 'cli', 'main.ts');
/** The bundle bin/paddock.mjs imports. */
export const BUNDLE = join(ROOT, 'dist', 'paddock.js');

/** The newest modification time (ms) of the files the bundle is made from: src/ (tests aside) and this script. */
function newestSource(dir = SOURCES) {
  let newest = statSync(fileURLToPath(import.meta.url)).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Packages left in node_modules and imported at run time: native addons (better-sqlite3, pg-native), packages that
 * find their own files at run time (pino's transports start worker threads from files next to them), libraries
 * loaded on first use (pdfkit, nodemailer: bundled, they would be parsed at every start) and the builder itself.
 * A package outside this list is bundled; the build fails if bundled code names `__dirname`, `__filename` or
 * `require.resolve` (it would look for files next to the bundle): add that package here.
 */
const LEFT_IN_NODE_MODULES = new Set([
  'better-sqlite3',
  'pg-native',
  'pino',
  'pino-pretty',
  'thread-stream',
  'sonic-boom',
  'pdfkit',
  'nodemailer',
  'esbuild',
]);

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const leaveListed = {
  name: 'leave-listed-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') || LEFT_IN_NODE_MODULES.has(packageName(args.path))
        ? { external: true }
        : undefined,
    );
  },
};

/** Lines of bundled code (not comments) that look for files next to the module that runs them. */
function fileLookups(text) {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\*|\/\/)/.test(line) && /\b__dirname\b|\b__filename\b|\brequire\.resolve\b/.test(line));
}

/**
 * Source files find their data files next to them (`new URL('./paddock.css', import.meta.url)`); in the bundle
 * `import.meta.url` is the bundle's, so each file's own is written as its source's URL relative to the bundle.
 */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = relative(dirname(BUNDLE), args.path).split('\\').join('/');
      const own = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'ts' };
    });
  },
};

/** Bundles src/cli/main.ts into dist/paddock.js (written to a temporary name, then renamed: a reader never sees half). */
export async function build() {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(dirname(BUNDLE), { recursive: true });
  const temporary = `${BUNDLE}.${process.pid}.tmp`;
  await esbuild({
    entryPoints: [ENTRY],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // @NOTE bundled CommonJS packages call require() (Node's built-ins, the packages left in node_modules).
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    plugins: [leaveListed, sourceUrls],
    logLevel: 'warning',
  });
  const lookups = fileLookups(readFileSync(temporary, 'utf8'));
  if (lookups.length > 0) {
    rmSync(temporary, { force: true });
    throw new Error(
      `bundled code looks for files next to itself; add its package to LEFT_IN_NODE_MODULES:\n${lookups.join('\n')}`,
    );
  }
  renameSync(temporary, BUNDLE);
  return BUNDLE;
}

/** The bundle's path, rebuilt first when it is missing or older than a source file. */
export async function ensureBuilt() {
  let builtAt = 0;
  try {
    builtAt = statSync(BUNDLE).mtimeMs;
  } catch {
    // no bundle yet
  }
  if (builtAt < newestSource()) await build();
  return BUNDLE;
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const started = performance.now();
  await build();
  console.log(`built ${relative(ROOT, BUNDLE)} in ${Math.round(performance.now() - started)} ms`);
}
