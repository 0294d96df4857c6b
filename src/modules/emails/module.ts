// The emails module's entry: everything it adds to Paddock (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { emailRoutes } from './routes.js';

export const emailsModule: PaddockModule = { name: 'emails', routes: emailRoutes };
