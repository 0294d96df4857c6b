// The products module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { productRoutes } from './routes.js';

export const productsModule: PaddockModule = { name: 'products', routes: productRoutes };
