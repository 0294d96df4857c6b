// paddock/no-import-cycles: reports every import that closes a cycle, at two levels.
//
// - Files: a value import from a file to one that (directly or not) imports it back. In ESM a cycle means one of
//   the files runs before the other has initialised its bindings, and a top-level use throws a TDZ error that
//   depends on which file happened to load first. Type-only imports are erased (verbatimModuleSyntax), so they
//   do not count here. `await import()` counts: it only hides the cycle from the loader.
// - Modules: src/modules/<a> importing src/modules/<b> (any import, types too) while <b> already reaches <a>.
//   Two resources that need each other are one design split in two, and neither can be understood or tested
//   alone. A module's `routes.ts` and `module.ts` are left out of this graph: they compose services of several
//   modules (`GET /products?include=prices` asks the prices service), they are not a use case others call.
//
// The graph is built once per ESLint process from every TypeScript file under src/ (tests excluded: a test may
// import anything), whatever files the run lints, so linting one file still sees cycles through the others.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const graphs = new Map();

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !isTestFile(full) ? [full] : [];
  });
}

function isTestFile(file) {
  return file.endsWith('.test.ts');
}

/** `./x.js` written in `from` → the absolute path of its `.ts` source, or undefined for packages and misses. */
function resolveLocal(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((candidate) => fs.existsSync(candidate));
}

/** Every import of a file: `{ specifier, typeOnly, node }` for import/export declarations and `import()` calls. */
function importsOf(sourceFile) {
  const found = [];
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : null;
      const allInlineTypes =
        !!named && !clause.name && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: !!clause?.isTypeOnly || allInlineTypes });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** The resource folder a file belongs to for the module graph, or null (outside modules, routes, entries). */
function moduleOf(root, file) {
  const match = /^src\/modules\/([^/]+)\/(.+)$/.exec(path.relative(root, file).split(path.sep).join('/'));
  if (!match || match[2] === 'routes.ts' || match[2] === 'module.ts') return null;
  return match[1];
}

/** Strongly connected components (Tarjan); returns node → component id, for components of two or more. */
function components(adjacency) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const componentOf = new Map();
  const strongConnect = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of adjacency.get(node) ?? []) {
      if (!index.has(next)) {
        strongConnect(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const members = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      members.push(member);
    } while (member !== node);
    if (members.length > 1) for (const m of members) componentOf.set(m, node);
  };
  for (const node of adjacency.keys()) if (!index.has(node)) strongConnect(node);
  return componentOf;
}

function addEdge(adjacency, from, to) {
  if (!adjacency.has(from)) adjacency.set(from, new Set());
  if (!adjacency.has(to)) adjacency.set(to, new Set());
  adjacency.get(from).add(to);
}

/** A shortest path from `from` to `to` in the graph, for the message ("a → b → a"). */
function pathBetween(adjacency, from, to) {
  const previous = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift();
    if (node === to) break;
    for (const next of adjacency.get(node) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  const steps = [];
  for (let node = to; node !== null && node !== undefined; node = previous.get(node)) steps.unshift(node);
  return steps;
}

function buildGraph(root) {
  const files = new Map();
  const modules = new Map();
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    if (!files.has(file)) files.set(file, new Set());
    for (const { specifier, typeOnly } of importsOf(source)) {
      const target = resolveLocal(file, specifier);
      if (!target || isTestFile(target)) continue;
      if (!typeOnly) addEdge(files, file, target);
      const [from, to] = [moduleOf(root, file), moduleOf(root, target)];
      if (from && to && from !== to) addEdge(modules, from, to);
    }
  }
  return { root, files, fileCycles: components(files), modules, moduleCycles: components(modules) };
}

function graphFor(root) {
  if (!graphs.has(root)) graphs.set(root, buildGraph(root));
  return graphs.get(root);
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports that close a cycle between files (value imports) or between modules' },
    schema: [],
    messages: {
      fileCycle: 'import cycle between files: {{ cycle }}',
      moduleCycle: 'import cycle between modules: {{ cycle }} (routes.ts and module.ts may compose; use cases may not)',
    },
  },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    if (!file.startsWith(path.join(root, 'src') + path.sep) || isTestFile(file)) return {};
    const graph = graphFor(root);
    const relative = (p) => path.relative(root, p).split(path.sep).join('/');
    const check = (node, specifier, typeOnly) => {
      const target = resolveLocal(file, specifier);
      if (!target) return;
      const fileCycle = graph.fileCycles.get(file);
      if (!typeOnly && fileCycle !== undefined && graph.fileCycles.get(target) === fileCycle) {
        const cycle = [file, ...pathBetween(graph.files, target, file)].map(relative).join(' → ');
        context.report({ node, messageId: 'fileCycle', data: { cycle } });
      }
      const [from, to] = [moduleOf(root, file), moduleOf(root, target)];
      const moduleCycle = from ? graph.moduleCycles.get(from) : undefined;
      if (from && to && from !== to && moduleCycle !== undefined && graph.moduleCycles.get(to) === moduleCycle) {
        const cycle = [from, ...pathBetween(graph.modules, to, from)].join(' → ');
        context.report({ node, messageId: 'moduleCycle', data: { cycle } });
      }
    };
    return {
      ImportDeclaration(node) {
        const allInlineTypes =
          node.specifiers.length > 0 &&
          node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type');
        check(node, node.source.value, node.importKind === 'type' || allInlineTypes);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value, node.exportKind === 'type');
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal' && typeof node.source.value === 'string') {
          check(node, node.source.value, false);
        }
      },
    };
  },
};

export const paddockPlugin = { meta: { name: 'paddock' }, rules: { 'no-import-cycles': rule } };
