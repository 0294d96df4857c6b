import type { FastifyInstance } from 'fastify';
import { testHelper, type ServerDeps } from '../../http/operation.js';
import { invalidField } from '../../kernel/errors.js';
import { listEmails } from './service.js';

export function emailRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // INTERFACE.md: the emails the server has sent (newest first), optionally only those to one address.
  // @NOTE the emails name customers and carry portal sign-in links: reading them needs what already reaches both.
  testHelper(
    app,
    deps,
    'GET',
    '/test-helpers/emails',
    async ({ ctx, query }) => {
      const to = query.to;
      if (to !== undefined && (typeof to !== 'string' || to.trim() === ''))
        throw invalidField([{ field: 'to', message: 'must be an email address' }]);
      return { data: await listEmails(ctx, to === undefined ? undefined : to.trim()) };
    },
    { permissions: ['customer.read', 'customer_portal_session.write'] },
  );
}
