// The invoices module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { invoiceRoutes } from './routes.js';

export const invoicesModule: PaddockModule = { name: 'invoices', routes: invoiceRoutes };
