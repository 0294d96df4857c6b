// The one place that turns errors into Paddle's envelope:
// { error: { type, code, detail, documentation_url, errors? }, meta: { request_id } }
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOGUE, PaddleError, documentationUrl } from '../kernel/errors.js';
import { allOperations } from './openapi.js';
import { applySecurityHeaders } from './security-headers.js';

export function errorBody(error: PaddleError, requestId: string) {
  return {
    error: {
      type: ERROR_CATALOGUE[error.code].type,
      code: error.code,
      detail: error.detail,
      documentation_url: documentationUrl(error.code),
      ...(error.errors ? { errors: error.errors } : {}),
    },
    meta: { request_id: requestId },
  };
}

/** Sends `error` with the status its code has in the catalogue (kernel/errors.ts), the only place statuses live. */
export function sendError(reply: FastifyReply, error: PaddleError): FastifyReply {
  return reply
    .status(ERROR_CATALOGUE[error.code].status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(errorBody(error, reply.request.id));
}

/** Fastify's own errors (body parsing, size, media type) in Paddle's words. */
function fromFastify(error: FastifyError): PaddleError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PaddleError('unsupported_media_type');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PaddleError('request_body_too_large');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new PaddleError('invalid_json');
    default:
      if (error instanceof SyntaxError) return new PaddleError('invalid_json');
      // @NOTE every other client error Fastify raises (bad URL, bad content length, …) is one 400 bad_request.
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return new PaddleError('bad_request', error.message);
      }
      return undefined;
  }
}

/**
 * Fastify's `frameworkErrors`: the errors its router raises before any route or hook runs. A malformed
 * percent-encoding (`/products/%ZZ`, FST_ERR_BAD_URL) is `400 bad_request`; a path segment over 100 characters
 * (FST_ERR_MAX_PARAM_LENGTH) names no entity, since no Paddle id is that long, so it is `404 not_found` as any
 * other malformed id in a path.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const paddleError =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new PaddleError('not_found', 'No entity has an id this long.')
      : new PaddleError(
          'bad_request',
          error.code === 'FST_ERR_BAD_URL' ? 'The URL has a malformed percent-encoding.' : undefined,
        );
  // @NOTE the router answers these without a route context: no onSend hook adds the headers.
  applySecurityHeaders(reply.header('content-type', 'application/json; charset=utf-8'));
  void sendError(reply, paddleError);
  // @NOTE the router answers these without a route context, so the request line is not written for them.
  request.log.info(
    { method: request.method, route: 'unmatched', status: reply.statusCode, code: error.code },
    'request completed',
  );
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before Fastify sees a request (a malformed
 * request line, headers over the size limit). Answered in Paddle's envelope on the raw socket, then closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const paddleError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new PaddleError('request_headers_too_large')
      : new PaddleError('bad_request', 'The request could not be parsed as HTTP.');
  const { status } = ERROR_CATALOGUE[paddleError.code];
  const body = JSON.stringify(errorBody(paddleError, randomUUID()));
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

const templates = allOperations().map((op) => ({
  method: op.method,
  pattern: new RegExp(`^${op.specPath.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
}));

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const paddleError = error instanceof PaddleError ? error : fromFastify(error);
    if (paddleError) return sendError(reply, paddleError);
    // @NOTE the whole error (message, stack, cause, a driver's code) with where it happened: a 500 must leave a trace.
    request.log.error(
      { err: error, method: request.method, route: request.routeOptions.url ?? 'unmatched' },
      'unhandled error',
    );
    return sendError(reply, new PaddleError('internal_error'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const methods = templates.filter((t) => t.pattern.test(path)).map((t) => t.method);
    if (methods.length > 0 && !methods.includes(request.method as never)) {
      reply.header('allow', [...new Set(methods)].join(', '));
      return sendError(
        reply,
        new PaddleError('method_not_allowed', `Method ${request.method} is not allowed for ${path}.`),
      );
    }
    return sendError(reply, new PaddleError('not_found', `Route ${request.method} ${path} not found.`));
  });
}
