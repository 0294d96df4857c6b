import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../../http/operation.js';

export function productRoutes(_app: FastifyInstance, _deps: ServerDeps): void {}
