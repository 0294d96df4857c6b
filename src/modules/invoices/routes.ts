import type { FastifyInstance } from 'fastify';
import { ctxFor, operation, type ServerDeps } from '../../http/operation.js';
import { sendError } from '../../http/errors.js';
import { pathParam, queryParam } from '../../http/request-values.js';
import { PaddleError } from '../../kernel/errors.js';
import type { Instant } from '../../kernel/time.js';
import { findPortal } from '../sellers/service.js';
import { invoiceLink, invoicePdf } from './service.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 9110 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
function httpDate(instant: Instant): string {
  const t = instant.toZonedDateTimeISO('UTC');
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[t.dayOfWeek % 7]}, ${two(t.day)} ${MONTHS[t.month - 1]} ${t.year} ${two(t.hour)}:${two(t.minute)}:${two(t.second)} GMT`;
}

export function invoiceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  operation(app, deps, 'get-transaction-invoice', async ({ ctx, caller, params, query }) => {
    const portal = await findPortal(deps.db, caller.portalId);
    if (!portal) throw new PaddleError('internal_error', 'The environment has no portal.');
    const { url, expiresAt } = await invoiceLink(ctx, portal, params.transaction_id, query.disposition ?? 'attachment');
    // @NOTE the spec's Expires header: when the link stops working (an HTTP date, from the tenant's clock).
    return { data: { url }, headers: { expires: httpDate(expiresAt) } };
  });

  // The signed link itself: no API key; the signature and the one-hour expiry are the credential.
  app.get('/invoices/:portalId/:file', async (request, reply) => {
    const portalId = pathParam(request, 'portalId');
    const file = pathParam(request, 'file');
    const portal = await findPortal(deps.db, portalId);
    if (!portal || !file.endsWith('.pdf')) return sendError(reply, new PaddleError('not_found', 'Invoice not found.'));
    const ctx = ctxFor(deps, portal);
    const pdf = await invoicePdf(ctx, portal, {
      portalId,
      transactionId: file.slice(0, -'.pdf'.length),
      disposition: queryParam(request, 'disposition') ?? '',
      expires: queryParam(request, 'expires') ?? '',
      signature: queryParam(request, 'signature') ?? '',
    });
    if (pdf.kind === 'expired') return sendError(reply, new PaddleError('invoice_link_expired'));
    if (pdf.kind !== 'pdf') return sendError(reply, new PaddleError('forbidden', 'This invoice link is not valid.'));
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `${pdf.disposition}; filename="${pdf.filename}"`)
      .header('cache-control', 'private, no-store')
      .send(pdf.body);
  });
}
