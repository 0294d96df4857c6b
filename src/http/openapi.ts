// Paddle's OpenAPI document is the contract: routes, permissions, request bodies and query parameters are
// read from it, so validation follows the spec rather than a hand-copied schema.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { invalidField, type FieldError } from '../kernel/errors.js';
import { bodyLimitErrors } from '../kernel/limits.js';
import { property } from './request-values.js';
import type { OperationBody, OperationId, OperationQuery } from '../spec/operations.js';

/**
 * A node of Paddle's OpenAPI document, with the keywords this module reads; any other keyword is `unknown`. The
 * document is committed data (openapi/paddle-openapi.json), parsed once at start-up and trusted to be OpenAPI 3.1.
 */
interface SpecNode {
  readonly [keyword: string]: unknown;
  $ref?: string;
  type?: string | string[];
  items?: SpecNode;
  properties?: Record<string, SpecNode>;
  additionalProperties?: boolean | SpecNode;
  allOf?: SpecNode[];
  oneOf?: SpecNode[];
  anyOf?: SpecNode[];
  maximum?: number;
  description?: string;
  name?: string;
  in?: string;
  explode?: boolean;
  schema?: SpecNode;
  'x-enum-permissions'?: Record<string, string[]>;
  operationId?: string;
  'x-permissions'?: string[];
  parameters?: SpecNode[];
  requestBody?: SpecNode;
  content?: Record<string, SpecNode>;
  responses?: Record<string, SpecNode>;
  paths?: Record<string, SpecNode>;
  get?: SpecNode;
  post?: SpecNode;
  patch?: SpecNode;
  put?: SpecNode;
  delete?: SpecNode;
}

export interface QueryParam {
  name: string;
  schema: SpecNode;
  explode: boolean;
}

export interface OperationSpec {
  operationId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path as the spec writes it: `/customers/{customer_id}`. */
  specPath: string;
  /** Path as Fastify wants it: `/customers/:customer_id`. */
  routePath: string;
  /** Names of the path parameters, in path order: `['customer_id']`. */
  pathParams: string[];
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
const METHODS: ReadonlyArray<[key: 'get' | 'post' | 'patch' | 'put' | 'delete', method: OperationSpec['method']]> = [
  ['get', 'GET'],
  ['post', 'POST'],
  ['patch', 'PATCH'],
  ['put', 'PUT'],
  ['delete', 'DELETE'],
];

const spec: SpecNode = JSON.parse(readFileSync(SPEC_FILE, 'utf8'));

/** One Ajv for requests and the contract tests: strict mode off because the spec carries OpenAPI keywords. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, discriminator: false });
  const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
  addFormats(ajv);
  ajv.addSchema(spec, SPEC_ID);
  return ajv;
}

let shared: Ajv2020 | undefined;

/**
 * The Ajv every request validator is compiled with, made on the first validation rather than at start-up (adding
 * the 1 MB document to Ajv costs tens of milliseconds that a server which never sees a body need not pay).
 */
function sharedAjv(): Ajv2020 {
  shared ??= createAjv();
  return shared;
}

/** Compiles a schema of the document (`paddle-openapi.json#/components/schemas/…`) with the shared Ajv. */
export function compileSpecSchema(ref: string): ValidateFunction {
  return sharedAjv().compile({ $ref: ref });
}

function isNode(value: unknown): value is SpecNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolve(node: SpecNode | undefined): SpecNode | undefined {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    const path = current.$ref.replace(/^#\//, '').split('/');
    let target: unknown = spec;
    for (const part of path) target = property(target, part.replace(/~1/g, '/').replace(/~0/g, '~'));
    // @NOTE a $ref with siblings (description, summary) keeps the siblings on top of the target.
    const { $ref: _ref, ...siblings } = current;
    current = { ...(isNode(target) ? target : {}), ...siblings };
  }
  return current;
}

function orderByFields(parameter: SpecNode | undefined): string[] {
  const description = parameter?.description ?? '';
  // @NOTE the sentence ends at a dot followed by a line end or the text's end; field names contain dots.
  const listed = /Valid fields for ordering: (.+?)\.(?:\s*$|\n)/s.exec(description)?.[1];
  if (!listed) return ['id'];
  return [...listed.matchAll(/`([a-z_.]+)`/g)].map((match) => match[1] ?? '');
}

function perPageOf(parameter: SpecNode | undefined): OperationSpec['perPage'] {
  if (!parameter) return undefined;
  const schema = parameter.schema ?? {};
  const described = /Default: `(\d+)`; Maximum: `(\d+)`/.exec(parameter.description ?? '');
  return {
    default: Number(schema.default ?? described?.[1] ?? 50),
    maximum: Number(schema.maximum ?? described?.[2] ?? 200),
  };
}

function buildOperation(
  specPath: string,
  method: OperationSpec['method'],
  pathItem: SpecNode,
  operation: SpecNode,
): OperationSpec {
  const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].flatMap((parameter) => {
    const resolved = resolve(parameter);
    return resolved ? [resolved] : [];
  });
  const query = parameters.filter((parameter) => parameter.in === 'query');
  const include = query.find((parameter) => parameter.name === 'include');
  const successStatus = Number(Object.keys(operation.responses ?? {}).find((code) => /^2\d\d$/.test(code)) ?? 200);
  return {
    operationId: operation.operationId ?? `${method} ${specPath}`,
    method,
    specPath,
    routePath: specPath.replace(/\{([^}]+)\}/g, ':$1'),
    pathParams: [...specPath.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? ''),
    permissions: operation['x-permissions'] ?? [],
    queryParams: query.map((parameter) => ({
      name: parameter.name ?? '',
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
/** Each operation's node in the document, for its request body schema. */
const operationNodes = new Map<string, SpecNode>();
for (const [specPath, pathItem] of Object.entries(spec.paths ?? {})) {
  for (const [key, method] of METHODS) {
    const node = pathItem[key];
    if (!node) continue;
    const built = buildOperation(specPath, method, pathItem, node);
    operations.set(built.operationId, built);
    operationNodes.set(built.operationId, node);
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
function propertyNames(node: SpecNode | undefined): Set<string> | undefined {
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

/**
 * Compiles an operation's validators on its first request (a few milliseconds each), so start-up compiles none of
 * the ~100 operations and a server pays only for those it is asked for.
 */
function prepareValidators(operationId: string): void {
  const op = operationSpec(operationId);
  if (op.hasBody && !bodyValidators.has(operationId)) {
    bodyValidators.set(operationId, compileSpecSchema(schemaPointer(operationId, 'request')));
    const schema = operationNodes.get(operationId)?.requestBody?.content?.['application/json']?.schema;
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
    queryValidators.set(operationId, sharedAjv().compile({ type: 'object', properties }));
  }
}

/**
 * Throws Paddle's 400 `invalid_field` when the body does not match the operation's request schema; afterwards the
 * body has the operation's generated type (both come from the same schema). An operation without a request body
 * takes `undefined` (the route helper passes nothing else).
 */
export function validateBody<Id extends OperationId>(
  operationId: Id,
  body: unknown,
): asserts body is OperationBody<Id> {
  if (!operationSpec(operationId).hasBody) {
    if (body !== undefined) throw new Error(`${operationId} takes no request body`);
    return;
  }
  prepareValidators(operationId);
  const validate = bodyValidators.get(operationId);
  // @NOTE Paddock's bounds first: they walk without recursion, so a body nested too deep never reaches Ajv.
  const errors: FieldError[] = bodyLimitErrors(body);
  if (errors.length > 0) throw invalidField(errors);
  // @NOTE Paddle refuses fields it does not know, even where its spec leaves the object open.
  const known = knownBodyFields.get(operationId);
  if (known && body && typeof body === 'object' && !Array.isArray(body)) {
    for (const key of Object.keys(body))
      if (!known.has(key)) errors.push({ field: key, message: 'property is not allowed' });
  }
  if (validate && !validate(body)) errors.push(...toFieldErrors(validate.errors ?? [], body));
  if (errors.length > 0) throw invalidField(errors);
}

/**
 * Turns raw query strings into the types the spec declares (comma lists → arrays, numbers, booleans), then
 * validates them: the result has the operation's generated query type. Throws 400 `invalid_field`.
 */
export function parseQuery<Id extends OperationId>(
  operationId: Id,
  raw: Readonly<Record<string, string | string[] | undefined>>,
): OperationQuery<Id> {
  const op = operationSpec(operationId);
  const parsed: Record<string, unknown> = {};
  for (const param of op.queryParams) {
    const value = raw[param.name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    parsed[param.name] =
      param.name === 'include' ? includeValues(coerce(text, param.schema)) : coerce(text, param.schema);
  }
  if (!isValidQuery(operationId, parsed)) {
    throw invalidField(toFieldErrors(queryValidators.get(operationId)?.errors ?? [], parsed));
  }
  return parsed;
}

/**
 * `include` values the official SDKs send that the spec spells otherwise, by the spec's spelling. @NOTE the Node,
 * Python and Go SDKs ask transactions for `adjustment` where the spec's enum says `adjustments`; Paddle answers
 * both alike.
 */
const INCLUDE_SPELLINGS: Readonly<Record<string, string>> = { adjustment: 'adjustments' };

/** The asked `include` values in the spec's spelling, each once (a value the spec does not know is left for Ajv). */
function includeValues(values: unknown): unknown {
  if (!Array.isArray(values)) return values;
  return [
    ...new Set(
      values.map((value: unknown) => (typeof value === 'string' ? (INCLUDE_SPELLINGS[value] ?? value) : value)),
    ),
  ];
}

/** Ajv's verdict as a type guard: the validator and the generated query type come from the same schemas. */
function isValidQuery<Id extends OperationId>(operationId: Id, parsed: unknown): parsed is OperationQuery<Id> {
  prepareValidators(operationId);
  const validate = queryValidators.get(operationId);
  return validate !== undefined && validate(parsed);
}

function coerce(text: string, schema: SpecNode): unknown {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
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
  const params: Readonly<Record<string, unknown>> = error.params;
  const under = (name: unknown) => (field ? `${field}.${String(name)}` : String(name));
  switch (error.keyword) {
    case 'additionalProperties':
      return { field: under(params.additionalProperty), message: 'property is not allowed' };
    case 'required':
      return { field: under(params.missingProperty), message: 'field is required' };
    case 'maxLength':
      return { field, message: `maximum length of ${String(params.limit)} exceeded` };
    case 'minLength':
      return { field, message: `minimum length of ${String(params.limit)} not met` };
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.join(', ') : '';
      return { field, message: `must be one of: ${allowed}` };
    }
    case 'pattern':
      return { field, message: `does not match the pattern ${String(params.pattern)}` };
    case 'format':
      return { field, message: `must be a valid ${String(params.format)}` };
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
    (error.keyword === 'type' && property(error.params, 'type') === 'null') ||
    (error.keyword === 'const' && property(error.params, 'allowedValue') === '');
  const specific = errors.filter((error) => !noise(error));
  const chosen = specific.length > 0 ? specific : errors;
  const byField = new Map<string, FieldError>();
  for (const error of chosen) {
    const described = describeError(error);
    if (!byField.has(described.field)) byField.set(described.field, described);
  }
  return [...byField.values()];
}
