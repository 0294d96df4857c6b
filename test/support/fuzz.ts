// Requests built from Paddle's OpenAPI document, for the fuzz test (test/hardening/fuzz.test.ts): a seeded random
// source, values generated from each operation's schemas (mostly valid, often bent: wrong types, boundaries, huge
// numbers, deep custom_data, odd text), and path ids that are real entities or near misses.
import { readFileSync } from 'node:fs';

/** The parts of an OpenAPI node (schema, parameter, operation) the generator reads. */
interface Node {
  [key: string]: unknown;
  $ref?: string;
  allOf?: Node[];
  oneOf?: Node[];
  anyOf?: Node[];
  type?: string | string[];
  const?: unknown;
  properties?: Record<string, Node>;
  required?: string[];
  readOnly?: boolean;
  items?: Node;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  description?: string;
  examples?: unknown[];
  example?: unknown;
  in?: string;
  name?: string;
  schema?: Node;
  parameters?: Node[];
  requestBody?: { content?: Record<string, { schema?: Node }> };
}

const spec = JSON.parse(readFileSync(new URL('../../openapi/paddle-openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Node>>;
};

/** mulberry32: a small, fast, seeded generator; the same seed makes the same requests. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

function resolve(node: Node | undefined): Node {
  let current = node ?? {};
  for (let i = 0; i < 20 && typeof current.$ref === 'string'; i++) {
    const path = (current.$ref as string).replace(/^#\//, '').split('/');
    current = path.reduce<Node>(
      (at, key) => (at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')] ?? {}) as Node,
      spec as unknown as Node,
    );
  }
  return current ?? {};
}

/** Values no schema expects, for bending a field. */
const NASTY: readonly unknown[] = [
  null,
  '',
  ' ',
  -1,
  0,
  1.5,
  2 ** 53,
  -(2 ** 63),
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '1e400',
  'x'.repeat(5000),
  '\u0000\uD800<script>alert(1)</script>',
  '../../etc/passwd',
  "' OR 1=1 --",
  '%ZZ',
  '0000-00-00T00:00:00Z',
  '9999-12-31T23:59:59.999999Z',
  '-000001-01-01T00:00:00Z',
  true,
  [],
  {},
  [[[[[[]]]]]],
  { __proto__: { polluted: true } },
];

function deep(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** The pools of real ids by prefix (`pro_`, `ctm_` …) that generated values and paths draw from. */
export type IdPool = Map<string, string[]>;

function idFor(prefix: string, random: Random, pool: IdPool): string {
  const real = pool.get(prefix);
  if (real && real.length > 0 && random.chance(0.8)) return random.pick(real);
  const alphabet = 'abcdefghjkmnpqrstvwxyz0123456789';
  let tail = '';
  for (let i = 0; i < 26; i++) tail += alphabet[random.int(0, alphabet.length - 1)];
  return `${prefix}${tail}`;
}

/** The id prefix a string schema names, by its pattern (`^pro_…`) or, failing that, its example (`pro_01gs…`). */
function prefixOf(schema: Node): string | undefined {
  const fromPattern = typeof schema.pattern === 'string' ? /^\^([a-z]{2,4}_)/.exec(schema.pattern)?.[1] : undefined;
  const example: unknown = Array.isArray(schema.examples) ? schema.examples[0] : schema.example;
  return fromPattern ?? (typeof example === 'string' ? /^([a-z]{2,4}_)[a-z\d]{26}$/.exec(example)?.[1] : undefined);
}

function stringFor(schema: Node, random: Random, pool: IdPool): unknown {
  if (Array.isArray(schema.enum)) return random.pick(schema.enum);
  const prefix = prefixOf(schema);
  if (prefix) return idFor(prefix, random, pool);
  const examples = [...(Array.isArray(schema.examples) ? schema.examples : []), schema.example].filter(
    (e) => typeof e === 'string',
  );
  if (examples.length > 0 && random.chance(0.7)) return random.pick(examples);
  if (schema.format === 'date-time') {
    return `20${random.int(20, 40)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}T${String(random.int(0, 23)).padStart(2, '0')}:00:00Z`;
  }
  if (schema.format === 'email') return `fuzz${random.int(0, 1_000_000)}@example.com`;
  if (schema.format === 'uri') return `https://example.com/${random.int(0, 999)}`;
  if (schema.pattern === '^\\d+$' || /amount/i.test(String(schema.description ?? '')))
    return String(random.int(0, 100_000));
  const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
  const max = Math.max(min, typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 40) : 24);
  const length = random.int(min, max);
  return 'Fuzz text ü €'.repeat(8).slice(0, length).padEnd(length, 'x');
}

/**
 * A value for `node` (an OpenAPI schema), valid most of the time; with probability `bend` per field, a value no
 * schema expects instead. `depth` bounds recursion.
 */
export function generate(node: Node | undefined, random: Random, pool: IdPool, bend: number, depth = 0): unknown {
  if (random.chance(bend)) return random.chance(0.1) ? deep(random.int(30, 80)) : random.pick(NASTY);
  const schema = resolve(node);
  if (depth > 8) return undefined;
  if (Array.isArray(schema.allOf)) return generate(mergeAllOf(schema), random, pool, bend, depth);
  const choices = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(choices)) return generate(random.pick(choices), random, pool, bend, depth);
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const concrete = types.filter((t) => t !== 'null');
  if (types.length > 0 && concrete.length === 0) return null;
  const type = concrete.length > 0 ? random.pick(concrete) : undefined;
  if (types.includes('null') && random.chance(0.1)) return null;
  if (schema.const !== undefined) return schema.const;
  if (type === 'object' || (!type && schema.properties)) {
    const out: Record<string, unknown> = {};
    const required = new Set<string>(schema.required ?? []);
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      if (resolve(child).readOnly) continue;
      if (!required.has(name) && !random.chance(0.5)) continue;
      if (required.has(name) && random.chance(bend / 2)) continue;
      const value = name === 'custom_data' ? customData(random) : generate(child, random, pool, bend, depth + 1);
      if (value !== undefined) out[name] = value;
    }
    if (random.chance(bend / 2)) out[`unknown_${random.int(0, 9)}`] = 'x';
    return out;
  }
  if (type === 'array') {
    const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
    const count = random.int(min, Math.max(min, Math.min(schema.maxItems ?? 3, 3)));
    return Array.from({ length: count }, () => generate(schema.items, random, pool, bend, depth + 1));
  }
  if (type === 'integer' || type === 'number') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
    const max = typeof schema.maximum === 'number' ? Math.min(schema.maximum, min + 1000) : min + 100;
    return random.int(min, max);
  }
  if (type === 'boolean') return random.chance(0.5);
  if (type === 'string') return stringFor(schema, random, pool);
  return random.chance(0.5) ? 'x' : 1;
}

function customData(random: Random): unknown {
  const kind = random.chance(0.3) ? random.int(0, 2) : 3;
  if (kind === 0) return deep(random.int(1, 40));
  if (kind === 1) return { big: 'y'.repeat(random.int(1, 80_000)) };
  if (kind === 2) return null;
  return { reference: `ref-${random.int(0, 999)}`, nested: { list: [1, 'two', { three: 3 }] } };
}

/** One object schema from the parts of an `allOf`: their properties and required fields together. */
function mergeAllOf(schema: Node): Node {
  const parts = (schema.allOf as Node[]).map((part) => {
    const resolved = resolve(part);
    return resolved.allOf ? mergeAllOf(resolved) : resolved;
  });
  const { allOf: _allOf, ...rest } = schema;
  return {
    ...rest,
    type: 'object',
    properties: Object.assign({}, rest.properties, ...parts.map((part) => part.properties ?? {})),
    required: [...(rest.required ?? []), ...parts.flatMap((part) => part.required ?? [])],
  };
}

/** An operation's parameters (its path's and its own), resolved. */
function parametersOf(specPath: string, method: string): Node[] {
  const item = spec.paths[specPath] ?? {};
  const shared = (item.parameters ?? []) as unknown as Node[];
  return [...shared, ...(item[method.toLowerCase()]?.parameters ?? [])].map((p) => resolve(p));
}

/** An operation's JSON request-body schema, when it takes one. */
export function requestSchema(specPath: string, method: string): Node | undefined {
  return spec.paths[specPath]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
}

/** An operation's query parameters (resolved), as the spec lists them. */
export function queryParameters(specPath: string, method: string): Node[] {
  return parametersOf(specPath, method).filter((p) => p.in === 'query');
}

/** The prefix of the ids a path parameter names (`customer_id` → `ctm_`), from its schema's pattern. */
export function pathParamPrefix(specPath: string, method: string, name: string): string | undefined {
  const parameter = parametersOf(specPath, method).find((p) => p.in === 'path' && p.name === name);
  return prefixOf(resolve(parameter?.schema));
}

/** A path segment for an id: usually one of the pool's (or well-formed and unknown), sometimes a near miss. */
export function pathId(prefix: string | undefined, random: Random, pool: IdPool): string {
  const roll = random.next();
  if (roll < 0.8 && prefix) return idFor(prefix, random, pool);
  return random.pick([
    'x',
    '%ZZ',
    '%00',
    'a'.repeat(150),
    '..%2F..%2Fetc',
    `${prefix ?? 'pro_'}${'0'.repeat(26)}`,
    `${prefix ?? 'pro_'}UPPERCASE`,
    'null',
    '%F0%9F%92%A9',
  ]);
}
