// The events module's entry: Paddle's event stream and event types (see ../module.ts).
import type { PaddockModule } from '../module.js';
import { eventRetention } from './retention.js';
import { eventRoutes } from './routes.js';

export const eventsModule: PaddockModule = { name: 'events', routes: eventRoutes, dueWork: [eventRetention] };
