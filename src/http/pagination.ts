// The HTTP half of pagination: reading `after`, `per_page` and `order_by`, and writing `meta.pagination`
// with a full `next` URL (always present, as Paddle sends it).
import type { FastifyRequest } from 'fastify';
import type { Page, PageRequest } from '../db/pagination.js';
import { invalidField } from '../kernel/errors.js';
import type { OperationSpec } from './openapi.js';

export function pageRequest(op: OperationSpec, query: Record<string, unknown>): PageRequest {
  const limits = op.perPage ?? { default: 50, maximum: 200 };
  const requested = typeof query.per_page === 'number' ? query.per_page : limits.default;
  if (!Number.isInteger(requested) || requested < 1) {
    throw invalidField([{ field: 'per_page', message: 'must be a whole number of at least 1' }]);
  }
  const orderBy = parseOrderBy(op, typeof query.order_by === 'string' ? query.order_by : 'id[DESC]');
  return {
    ...(typeof query.after === 'string' && query.after !== '' ? { after: query.after } : {}),
    // @NOTE more than the maximum is clamped silently; meta.pagination.per_page says what was used.
    perPage: Math.min(requested, limits.maximum),
    orderBy,
  };
}

function parseOrderBy(op: OperationSpec, value: string): PageRequest['orderBy'] {
  const match = /^([a-z_.]+)\[(ASC|DESC)\]$/i.exec(value);
  const field = match?.[1];
  if (!match || !field || !op.orderByFields.includes(field)) {
    throw invalidField([
      {
        field: 'order_by',
        message: `must be one of ${op.orderByFields.map((f) => `${f}[ASC]`).join(', ')} or the same with [DESC]`,
      },
    ]);
  }
  return { field, direction: (match[2] as string).toUpperCase() as 'ASC' | 'DESC' };
}

export interface PaginationMeta {
  per_page: number;
  next: string;
  has_more: boolean;
  estimated_total: number;
}

export function paginationMeta(
  request: FastifyRequest,
  publicUrl: string,
  page: Page<{ id: string }>,
  perPage: number,
): PaginationMeta {
  const [path, search = ''] = request.url.split('?') as [string, string?];
  const params = new URLSearchParams(search);
  const last = page.rows.at(-1);
  if (last) params.set('after', last.id);
  // @NOTE commas stay readable (they are legal in a query); brackets stay encoded, as RFC 3986 requires.
  const query = params.toString().replace(/%2C/gi, ',');
  return {
    per_page: perPage,
    next: `${publicUrl}${path}${query ? `?${query}` : ''}`,
    has_more: page.hasMore,
    estimated_total: page.estimatedTotal,
  };
}
