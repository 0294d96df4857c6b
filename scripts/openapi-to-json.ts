// Converts Paddle's OpenAPI YAML (../shared/reference) into the JSON copy the server loads at start.
// @NOTE JSON parses in milliseconds; the YAML would cost ~1 s of start-up on every boot.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const source = process.argv[2] ?? '../shared/reference/paddle-openapi.yaml';
const target = new URL('../openapi/paddle-openapi.json', import.meta.url);
const spec = parse(readFileSync(source, 'utf8'), { maxAliasCount: -1 });
writeFileSync(target, JSON.stringify(spec));
console.log(`wrote ${target.pathname}`);
