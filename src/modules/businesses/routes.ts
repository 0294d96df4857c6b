import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../../http/operation.js';

export function businessRoutes(_app: FastifyInstance, _deps: ServerDeps): void {}
