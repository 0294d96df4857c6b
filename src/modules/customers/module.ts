// The customers module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { customerRoutes } from './routes.js';

export const customersModule: PaddockModule = { name: 'customers', routes: customerRoutes };
