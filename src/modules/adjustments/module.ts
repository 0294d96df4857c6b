// The adjustments module's entry: refunds and credits, and the clock's approval of pending refunds.
import type { PaddockModule } from '../module.js';
import { adjustmentDueWork } from './due-work.js';
import { adjustmentRoutes } from './routes.js';

export const adjustmentsModule: PaddockModule = {
  name: 'adjustments',
  routes: adjustmentRoutes,
  dueWork: [adjustmentDueWork],
};
