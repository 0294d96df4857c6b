// The one place that turns errors into Paddle's envelope:
// { error: { type, code, detail, documentation_url, errors? }, meta: { request_id } }
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PaddleError, documentationUrl } from '../kernel/errors.js';
import { allOperations } from './openapi.js';

export function errorBody(error: PaddleError, requestId: string) {
  return {
    error: {
      type: error.type,
      code: error.code,
      detail: error.detail,
      documentation_url: documentationUrl(error.code),
      ...(error.errors ? { errors: error.errors } : {}),
    },
    meta: { request_id: requestId },
  };
}

export function sendError(reply: FastifyReply, error: PaddleError): FastifyReply {
  return reply
    .status(error.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(errorBody(error, reply.request.id));
}

/** Fastify's own errors (body parsing, size, media type) in Paddle's words. */
function fromFastify(error: FastifyError): PaddleError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PaddleError(415, 'unsupported_media_type', 'Content-Type must be application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PaddleError(413, 'request_body_too_large', 'Request body is too large.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new PaddleError(400, 'invalid_json', 'Request body is not valid JSON.');
    default:
      if (error instanceof SyntaxError) return new PaddleError(400, 'invalid_json', 'Request body is not valid JSON.');
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return new PaddleError(error.statusCode, 'bad_request', error.message);
      }
      return undefined;
  }
}

const templates = allOperations().map((op) => ({
  method: op.method,
  pattern: new RegExp(`^${op.specPath.replace(/\{[^}]+\}/g, '[^/]+')}/?$`),
}));

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const paddleError = error instanceof PaddleError ? error : fromFastify(error);
    if (paddleError) return sendError(reply, paddleError);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, new PaddleError(500, 'internal_error', 'An internal error occurred.', 'api_error'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const methods = templates.filter((t) => t.pattern.test(path)).map((t) => t.method);
    if (methods.length > 0 && !methods.includes(request.method as never)) {
      reply.header('allow', [...new Set(methods)].join(', '));
      return sendError(
        reply,
        new PaddleError(405, 'method_not_allowed', `Method ${request.method} is not allowed for ${path}.`),
      );
    }
    return sendError(reply, new PaddleError(404, 'not_found', `Route ${request.method} ${path} not found.`));
  });
}
