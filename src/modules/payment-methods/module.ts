// The payment-methods module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { paymentMethodRoutes } from './routes.js';

export const paymentMethodsModule: PaddockModule = { name: 'payment-methods', routes: paymentMethodRoutes };
