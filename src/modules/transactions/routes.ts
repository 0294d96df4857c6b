import type { FastifyInstance } from 'fastify';
import { includes, operation, pageRequest, type RawQuery, type ServerDeps } from '../../http/operation.js';
import { compileSpecSchema } from '../../http/openapi.js';
import { invalidField, PaddleError } from '../../kernel/errors.js';
import { storedFromRfc3339 } from '../../kernel/time.js';
import type { Ctx } from '../../context.js';
import { adjustmentsForTransactions, hasAdjustments } from '../adjustments/service.js';
import { withIncludes } from './includes.js';
import { previewPrices, previewTransaction } from './operations/preview.js';
import { reviseTransaction } from './operations/revise.js';
import type { TimeFilter, TimeOperator, TransactionFilters } from './repository.js';
import { createTransaction, getTransaction, listTransactions, updateTransaction } from './service.js';

type TimeField = 'created_at' | 'updated_at' | 'billed_at';

/** The adjustments of the transactions, when `include` asks for them (the adjustments module keeps them). */
function adjustmentsIncluded(
  ctx: Ctx,
  transactions: ReadonlyArray<{ id: string; currency_code: string }>,
  include: Set<string>,
) {
  if (!include.has('adjustments') && !include.has('adjustments_totals')) return Promise.resolve(undefined);
  return adjustmentsForTransactions(ctx, transactions);
}

/** `field[OPERATOR]` query names, e.g. `created_at[GTE]`; a bare `created_at` is an equality. */
const TIME_FILTERS = new Map<string, { field: TimeField; operator: TimeOperator }>(
  (['created_at', 'updated_at', 'billed_at'] satisfies TimeField[]).flatMap((field) => [
    [field, { field, operator: 'EQ' }],
    ...(['LT', 'LTE', 'GT', 'GTE'] satisfies TimeOperator[]).map(
      (operator): [string, { field: TimeField; operator: TimeOperator }] => [
        `${field}[${operator}]`,
        { field, operator },
      ],
    ),
  ]),
);

/**
 * `created_at[GTE]=…` style filters: the spec names the field, Paddle's docs the bracketed operators, so they are
 * read from the raw query. Throws 400 `invalid_field` for a value that is not an RFC 3339 date-time.
 */
function timeFilters(query: RawQuery): Pick<TransactionFilters, TimeField> {
  const filters: Partial<Record<TimeField, TimeFilter[]>> = {};
  for (const [key, value] of Object.entries(query)) {
    const filter = TIME_FILTERS.get(key);
    if (!filter || value === undefined) continue;
    const text = Array.isArray(value) ? (value[0] ?? '') : value;
    const at = storedFromRfc3339(text);
    if (!at) throw invalidField([{ field: key, message: 'must be an RFC 3339 date-time' }]);
    (filters[filter.field] ??= []).push({ operator: filter.operator, at });
  }
  return filters;
}

/**
 * preview-transaction-create's body is an anyOf whose first branch ("no location information") accepts any
 * `address`, so a malformed or unsupported country would pass; check `address` against `address-preview` itself.
 * Compiled once, on the first preview that carries an address.
 */
function addressPreviewChecker(): (body: object) => void {
  let compiled: ReturnType<typeof compileSpecSchema> | undefined;
  return (body) => {
    const address = 'address' in body ? body.address : undefined;
    if (address === undefined || address === null) return;
    compiled ??= compileSpecSchema('paddle-openapi.json#/components/schemas/address-preview');
    const validate = compiled;
    if (validate(address)) return;
    const errors = (validate.errors ?? []).map((error) => {
      const missing: unknown = error.keyword === 'required' ? Reflect.get(error.params, 'missingProperty') : undefined;
      const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const field = ['address', path, missing].filter(Boolean).join('.');
      return {
        field,
        message: missing
          ? 'field is required'
          : field === 'address.country_code'
            ? 'must be a supported country code'
            : (error.message ?? 'is invalid'),
      };
    });
    const seen = new Set<string>();
    throw invalidField(errors.filter((error) => !seen.has(error.field) && seen.add(error.field)));
  };
}

export function transactionRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'list-transactions', async (request) => {
    const { ctx, op, query, caller } = request;
    const include = includes(request);
    const page = pageRequest(op, query);
    const subscriptionIds = query.subscription_id;
    const result = await listTransactions(
      ctx,
      caller,
      {
        id: query.id,
        status: query.status,
        customer_id: query.customer_id,
        subscription_id: subscriptionIds?.map((id) => (id === 'null' ? null : id)),
        invoice_number: query.invoice_number,
        origin: query.origin,
        collection_mode: query.collection_mode,
        ...timeFilters(request.rawQuery),
      },
      page,
    );
    const adjusted = await adjustmentsIncluded(ctx, result.data, include);
    const data = await Promise.all(
      result.data.map((entity) => withIncludes(ctx, entity, include, adjusted?.get(entity.id))),
    );
    return { page: result.page, data, perPage: page.perPage };
  });

  operation(app, deps, 'create-transaction', async (request) => {
    const include = includes(request);
    const entity = await createTransaction(request.ctx, request.caller, request.body);
    const adjusted = await adjustmentsIncluded(request.ctx, [entity], include);
    return { data: await withIncludes(request.ctx, entity, include, adjusted?.get(entity.id)) };
  });

  operation(
    app,
    deps,
    'get-transaction',
    async (request) => {
      const include = includes(request);
      const entity = await getTransaction(request.ctx, request.caller, request.params.transaction_id);
      const adjusted = await adjustmentsIncluded(request.ctx, [entity], include);
      return { data: await withIncludes(request.ctx, entity, include, adjusted?.get(entity.id)) };
    },
    { readsRow: 'transactions' },
  );

  operation(app, deps, 'update-transaction', async (request) => {
    const include = includes(request);
    const entity = await updateTransaction(request.ctx, request.caller, request.params.transaction_id, request.body);
    const adjusted = await adjustmentsIncluded(request.ctx, [entity], include);
    return { data: await withIncludes(request.ctx, entity, include, adjusted?.get(entity.id)) };
  });

  const checkAddressPreview = addressPreviewChecker();
  operation(app, deps, 'preview-transaction-create', async ({ ctx, body }) => {
    checkAddressPreview(body);
    return { data: await previewTransaction(ctx, body) };
  });

  operation(app, deps, 'preview-prices', async ({ ctx, body }) => ({ data: await previewPrices(ctx, body) }));

  operation(app, deps, 'revise-transaction', async ({ ctx, caller, params, body }) => {
    // Paddle: a transaction that has adjustments (refunds, credits) cannot be revised.
    if (await hasAdjustments(ctx, params.transaction_id))
      throw new PaddleError('transaction_adjusted_unable_to_revise');
    return { data: await reviseTransaction(ctx, caller, params.transaction_id, body) };
  });
}
