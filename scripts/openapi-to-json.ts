// Converts Paddle's OpenAPI YAML (../shared/reference) into the JSON copy the server loads at start, then applies
// openapi/newer.json: what Paddle added after the reference document (docs/newer-api.md), so the newer operations
// and fields get their routes, validation, permissions and contract checks from the same document as every other.
// @NOTE JSON parses in milliseconds; the YAML would cost ~1 s of start-up on every boot.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * One action of an OpenAPI Overlay 1.0 document, in the subset Paddock uses: `target` is a JSONPath made only of
 * names (`.name`, `['name']`) and indexes (`[1]`), no wildcards or filters, and must select exactly one node.
 */
interface OverlayAction {
  target: string;
  update: unknown;
  description?: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// `--check`: compare with the committed JSON instead of writing it (exit 1 when they differ).
const check = process.argv.includes('--check');
const source = process.argv.slice(2).find((arg) => arg !== '--check') ?? '../shared/reference/paddle-openapi.yaml';
const overlayFile = new URL('../openapi/newer.json', import.meta.url);
const target = new URL('../openapi/paddle-openapi.json', import.meta.url);

const isObject = (value: unknown): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `$.paths['/discounts'].get.parameters[0]` → `['paths', '/discounts', 'get', 'parameters', 0]`. */
function segments(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  const pattern = /\.([A-Za-z_][\w-]*)|\['([^']*)'\]|\[(\d+)\]/y;
  pattern.lastIndex = 1;
  if (!path.startsWith('$')) throw new Error(`overlay target ${path} does not start at $`);
  while (pattern.lastIndex < path.length) {
    const start = pattern.lastIndex;
    const match = pattern.exec(path);
    if (!match) throw new Error(`overlay target ${path}: cannot read from position ${start}`);
    parts.push(match[3] === undefined ? (match[1] ?? match[2] ?? '') : Number(match[3]));
  }
  return parts;
}

function select(document: Json, path: string): Json {
  let node: Json | undefined = document;
  for (const part of segments(path)) {
    node = Array.isArray(node) && typeof part === 'number' ? node[part] : isObject(node) ? node[part] : undefined;
    // @NOTE a target that no longer exists means the reference changed under the overlay: stop, do not guess.
    if (node === undefined) throw new Error(`overlay target ${path} selects nothing (at ${String(part)})`);
  }
  return node;
}

/** Overlay's `update`: objects merge recursively, other values replace; an array target gets the value appended. */
function merge(into: { [key: string]: Json }, update: { [key: string]: Json }): void {
  for (const [key, value] of Object.entries(update)) {
    const current = into[key];
    if (isObject(current) && isObject(value)) merge(current, value);
    else into[key] = value;
  }
}

function apply(document: Json, action: OverlayAction): void {
  const node = select(document, action.target);
  const update = action.update as Json;
  if (Array.isArray(node)) node.push(update);
  else if (isObject(node) && isObject(update)) merge(node, update);
  else throw new Error(`overlay target ${action.target}: can only update an object or append to an array`);
}

const spec = parse(readFileSync(source, 'utf8'), { maxAliasCount: -1 }) as Json;
const overlay = JSON.parse(readFileSync(overlayFile, 'utf8')) as { overlay: string; actions: OverlayAction[] };
if (overlay.overlay !== '1.0.0') throw new Error(`openapi/newer.json: overlay version ${overlay.overlay}`);
for (const action of overlay.actions) apply(spec, action);
const json = JSON.stringify(spec);
if (check) {
  const same = readFileSync(target, 'utf8') === json;
  console.log(same ? `${target.pathname} is up to date` : `${target.pathname} differs: run npm run openapi:json`);
  process.exitCode = same ? 0 : 1;
} else {
  writeFileSync(target, json);
  console.log(`wrote ${target.pathname} (${overlay.actions.length} overlay actions)`);
}
