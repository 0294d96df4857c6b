// The prices module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { priceRoutes } from './routes.js';

export const pricesModule: PaddockModule = { name: 'prices', routes: priceRoutes };
