// An import resolver for eslint-plugin-boundaries (eslint-module-utils' resolver interface, version 2).
// @NOTE Paddock's relative imports name the emitted file (`./service.js`, NodeNext style) while the source is
// `./service.ts`; the stock node resolver does not map one to the other, so every local import would look
// unresolved and escape the layer rules. Packages resolve through Node's own resolver (`path: null` for
// builtins and for packages only importable, not requirable: the layer rules need their name, not their file).
const fs = require('node:fs');
const { builtinModules, createRequire } = require('node:module');
const path = require('node:path');

exports.interfaceVersion = 2;

/** `source` as written in `file` → `{ found, path }`; relative `.js` specifiers resolve to their `.ts` source. */
exports.resolve = function resolve(source, file) {
  if (source.startsWith('.')) {
    const base = path.resolve(path.dirname(file), source);
    const candidates = [base.replace(/\.(m?)js$/, '.$1ts'), base, `${base}.ts`, path.join(base, 'index.ts')];
    const found = candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    return found ? { found: true, path: found } : { found: false };
  }
  if (source.startsWith('node:') || builtinModules.includes(source)) return { found: true, path: null };
  try {
    return { found: true, path: createRequire(file).resolve(source) };
  } catch {
    return { found: true, path: null };
  }
};
