// The test-helpers module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { testHelperRoutes } from './routes.js';

export const testHelpersModule: PaddockModule = { name: 'test-helpers', routes: testHelperRoutes };
