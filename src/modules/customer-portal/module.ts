// The customer portal's entry: the portal sessions API and the portal pages with the legacy buyer-portal
// redirects (see ../module.ts).
import { portalRoutes } from '../../web/portal/routes.js';
import type { PaddockModule } from '../module.js';
import { customerPortalRoutes } from './routes.js';

export const customerPortalModule: PaddockModule = {
  name: 'customer-portal',
  routes: customerPortalRoutes,
  webRoutes: portalRoutes,
};
