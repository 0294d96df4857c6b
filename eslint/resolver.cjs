// An import resolver for eslint-plugin-boundaries (eslint-module-utils' resolver interface, version 2).
// @NOTE Paddock's relative imports name the emitted file (`./service.js`, NodeNext style) while the source is
// `./service.ts`; the stock node resolver does not map one to the other, so every local import would look
// unresolved and escape the layer rules. Packages and node: builtins go to the node resolver as before.
const fs = require('node:fs');
const path = require('node:path');
const nodeResolver = require('eslint-import-resolver-node');

exports.interfaceVersion = 2;

/** `source` as written in `file` → `{ found, path }`; relative `.js` specifiers resolve to their `.ts` source. */
exports.resolve = function resolve(source, file, config) {
  if (source.startsWith('.')) {
    const base = path.resolve(path.dirname(file), source);
    const candidates = [base.replace(/\.(m?)js$/, '.$1ts'), base, `${base}.ts`, path.join(base, 'index.ts')];
    const found = candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    return found ? { found: true, path: found } : { found: false };
  }
  return nodeResolver.resolve(source, file, config);
};
