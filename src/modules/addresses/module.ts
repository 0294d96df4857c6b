// The addresses module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { addressRoutes } from './routes.js';

export const addressesModule: PaddockModule = { name: 'addresses', routes: addressRoutes };
