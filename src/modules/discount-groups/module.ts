// The discount groups module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { discountGroupRoutes } from './routes.js';

export const discountGroupsModule: PaddockModule = { name: 'discount-groups', routes: discountGroupRoutes };
