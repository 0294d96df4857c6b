// The businesses module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { businessRoutes } from './routes.js';

export const businessesModule: PaddockModule = { name: 'businesses', routes: businessRoutes };
