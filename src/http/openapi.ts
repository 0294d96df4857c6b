// Paddle's OpenAPI document is the contract: routes, permissions, request bodies and query parameters are
// read from it, so validation follows the spec rather than a hand-copied schema.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { invalidField, type FieldError } from '../kernel/errors.js';

type Json = Record<string, any>;

export interface QueryParam {
  name: string;
  schema: Json;
  explode: boolean;
}

export interface OperationSpec {
  operationId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path as the spec writes it: `/customers/{customer_id}`. */
  specPath: string;
  /** Path as Fastify wants it: `/customers/:customer_id`. */
  routePath: string;
  permissions: string[];
  queryParams: QueryParam[];
  /** Fields `order_by` accepts, read from the parameter's description; `id` when it names none. */
  orderByFields: string[];
  perPage: { default: number; maximum: number } | undefined;
  /** Permissions each `include` value requires (`x-enum-permissions`). */
  includePermissions: Record<string, string[]>;
  hasBody: boolean;
  successStatus: number;
}

const SPEC_FILE = new URL('../../openapi/paddle-openapi.json', import.meta.url);
const SPEC_ID = 'paddle-openapi.json';
const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

export const spec: Json = JSON.parse(readFileSync(SPEC_FILE, 'utf8'));

/** One Ajv for requests and the contract tests: strict mode off because the spec carries OpenAPI keywords. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, discriminator: false });
  const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
  addFormats(ajv);
  ajv.addSchema(spec, SPEC_ID);
  return ajv;
}

const ajv = createAjv();

function resolve(node: Json | undefined): Json | undefined {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    const path = current.$ref.replace(/^#\//, '').split('/');
    let target: any = spec;
    for (const part of path) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    // @NOTE a $ref with siblings (description, summary) keeps the siblings on top of the target.
    const { $ref: _ref, ...siblings } = current;
    current = { ...target, ...siblings };
  }
  return current;
}

function orderByFields(parameter: Json | undefined): string[] {
  const description: string = parameter?.description ?? '';
  // @NOTE the sentence ends at a dot followed by a line end or the text's end; field names contain dots.
  const listed = /Valid fields for ordering: (.+?)\.(?:\s*$|\n)/s.exec(description)?.[1];
  if (!listed) return ['id'];
  return [...listed.matchAll(/`([a-z_.]+)`/g)].map((match) => match[1] as string);
}

function perPageOf(parameter: Json | undefined): OperationSpec['perPage'] {
  if (!parameter) return undefined;
  const schema = parameter.schema ?? {};
  const described = /Default: `(\d+)`; Maximum: `(\d+)`/.exec(parameter.description ?? '');
  return {
    default: Number(schema.default ?? described?.[1] ?? 50),
    maximum: Number(schema.maximum ?? described?.[2] ?? 200),
  };
}

function buildOperation(specPath: string, method: (typeof METHODS)[number], pathItem: Json): OperationSpec {
  const operation = pathItem[method] as Json;
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map(resolve) as Json[];
  const query = parameters.filter((parameter) => parameter.in === 'query');
  const include = query.find((parameter) => parameter.name === 'include');
  const successStatus = Number(Object.keys(operation.responses ?? {}).find((code) => /^2\d\d$/.test(code)) ?? 200);
  return {
    operationId: operation.operationId,
    method: method.toUpperCase() as OperationSpec['method'],
    specPath,
    routePath: specPath.replace(/\{([^}]+)\}/g, ':$1'),
    permissions: operation['x-permissions'] ?? [],
    queryParams: query.map((parameter) => ({
      name: parameter.name,
      schema: parameter.schema ?? { type: 'string' },
      explode: parameter.explode ?? true,
    })),
    orderByFields: orderByFields(query.find((parameter) => parameter.name === 'order_by')),
    perPage: perPageOf(query.find((parameter) => parameter.name === 'per_page')),
    includePermissions: include?.schema?.items?.['x-enum-permissions'] ?? {},
    hasBody: Boolean(operation.requestBody),
    successStatus,
  };
}

const operations = new Map<string, OperationSpec>();
for (const [specPath, pathItem] of Object.entries(spec.paths as Json)) {
  for (const method of METHODS) {
    if (pathItem[method]) {
      const built = buildOperation(specPath, method, pathItem);
      operations.set(built.operationId, built);
    }
  }
}

export function operationSpec(operationId: string): OperationSpec {
  const found = operations.get(operationId);
  if (!found) throw new Error(`no operation ${operationId} in Paddle's OpenAPI document`);
  return found;
}

export function allOperations(): OperationSpec[] {
  return [...operations.values()];
}

/** JSON pointer of an operation's JSON request body or response schema inside the spec. */
export function schemaPointer(operationId: string, part: 'request' | { response: number }): string {
  const op = operationSpec(operationId);
  const escapedPath = op.specPath.replace(/~/g, '~0').replace(/\//g, '~1');
  const base = `#/paths/${escapedPath}/${op.method.toLowerCase()}`;
  return part === 'request'
    ? `${SPEC_ID}${base}/requestBody/content/application~1json/schema`
    : `${SPEC_ID}${base}/responses/${part.response}/content/application~1json/schema`;
}

const bodyValidators = new Map<string, ValidateFunction>();
/** Top-level body fields an operation knows, for request schemas that do not close themselves. */
const knownBodyFields = new Map<string, Set<string>>();

/** The property names of an object schema, following $ref and allOf; undefined when it is not a plain object. */
function propertyNames(node: Json | undefined): Set<string> | undefined {
  const schema = resolve(node);
  if (!schema) return undefined;
  if (schema.oneOf || schema.anyOf) return undefined;
  const names = new Set<string>(Object.keys(schema.properties ?? {}));
  for (const part of schema.allOf ?? []) {
    const inner = propertyNames(part);
    if (!inner) return undefined;
    for (const name of inner) names.add(name);
  }
  return names.size > 0 ? names : undefined;
}
const queryValidators = new Map<string, ValidateFunction>();

/** Compiles an operation's validators once, at start-up, so no request pays for it. */
export function prepareValidators(operationId: string): void {
  const op = operationSpec(operationId);
  if (op.hasBody && !bodyValidators.has(operationId)) {
    bodyValidators.set(operationId, ajv.compile({ $ref: schemaPointer(operationId, 'request') }));
    const pathItem = (spec.paths as Json)[op.specPath];
    const schema = pathItem?.[op.method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
    const resolved = resolve(schema);
    const names = resolved?.additionalProperties === false ? undefined : propertyNames(schema);
    if (names) knownBodyFields.set(operationId, names);
  }
  if (!queryValidators.has(operationId)) {
    // @NOTE per_page above the maximum is clamped (Paddle's documented behaviour), not refused.
    const properties = Object.fromEntries(
      op.queryParams.map((param) => [
        param.name,
        param.name === 'per_page' ? { ...param.schema, maximum: undefined } : param.schema,
      ]),
    );
    queryValidators.set(operationId, ajv.compile({ type: 'object', properties }));
  }
}

/** Throws Paddle's 400 `invalid_field` when the body does not match the operation's request schema. */
export function validateBody(operationId: string, body: unknown): void {
  const validate = bodyValidators.get(operationId);
  const errors: FieldError[] = [];
  // @NOTE Paddle refuses fields it does not know, even where its spec leaves the object open.
  const known = knownBodyFields.get(operationId);
  if (known && body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of Object.keys(body))
      if (!known.has(key)) errors.push({ field: key, message: 'property is not allowed' });
  }
  if (validate && !validate(body)) errors.push(...toFieldErrors(validate.errors ?? [], body));
  if (errors.length > 0) throw invalidField(errors);
}

/** Turns raw query strings into the types the spec declares, then validates them. */
export function parseQuery(
  operationId: string,
  raw: Record<string, string | string[] | undefined>,
): Record<string, unknown> {
  const op = operationSpec(operationId);
  const parsed: Record<string, unknown> = {};
  for (const param of op.queryParams) {
    const value = raw[param.name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    parsed[param.name] = coerce(text, param.schema);
  }
  const validate = queryValidators.get(operationId);
  if (validate && !validate(parsed)) throw invalidField(toFieldErrors(validate.errors ?? [], parsed));
  return parsed;
}

function coerce(text: string, schema: Json): unknown {
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  if (type === 'array') return text.split(',').map((part) => coerce(part.trim(), schema.items ?? {}));
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

/** `/items/0/price_id` → `items[0].price_id`, as Paddle names fields. */
function fieldName(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

function describeError(error: ErrorObject): FieldError {
  const field = fieldName(error.instancePath);
  const params = error.params as Json;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = field ? `${field}.${params.additionalProperty}` : params.additionalProperty;
      return { field: name, message: 'property is not allowed' };
    }
    case 'required': {
      const name = field ? `${field}.${params.missingProperty}` : params.missingProperty;
      return { field: name, message: 'field is required' };
    }
    case 'maxLength':
      return { field, message: `maximum length of ${params.limit} exceeded` };
    case 'minLength':
      return { field, message: `minimum length of ${params.limit} not met` };
    case 'enum':
      return { field, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    case 'pattern':
      return { field, message: `does not match the pattern ${params.pattern}` };
    case 'format':
      return { field, message: `must be a valid ${params.format}` };
    default:
      return { field, message: error.message ?? 'is invalid' };
  }
}

/**
 * Ajv reports every failed branch of a `oneOf`; a person wants one message per field. Keep the most
 * specific error at each field and drop the branch bookkeeping (`oneOf`, "must be null").
 */
function toFieldErrors(errors: ErrorObject[], _input: unknown): FieldError[] {
  const noise = (error: ErrorObject) =>
    error.keyword === 'oneOf' ||
    error.keyword === 'anyOf' ||
    error.keyword === 'if' ||
    (error.keyword === 'type' && (error.params as Json).type === 'null') ||
    (error.keyword === 'const' && error.params && (error.params as Json).allowedValue === '');
  const specific = errors.filter((error) => !noise(error));
  const chosen = specific.length > 0 ? specific : errors;
  const byField = new Map<string, FieldError>();
  for (const error of chosen) {
    const described = describeError(error);
    if (!byField.has(described.field)) byField.set(described.field, described);
  }
  return [...byField.values()];
}
