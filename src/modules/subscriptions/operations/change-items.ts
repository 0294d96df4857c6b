// `PATCH /subscriptions/{id}` with items or next_billed_at: proration in the five billing modes.
import type { Ctx } from '../../../context.js';
import { PaddleError } from '../../../kernel/errors.js';
import type { SubscriptionEntity } from '../serialize.js';
import type { Viewer } from '../service.js';
import type { SubscriptionUpdateInput } from './update.js';

export async function changeItems(_ctx: Ctx, _viewer: Viewer, _id: string, _input: SubscriptionUpdateInput): Promise<SubscriptionEntity> {
  throw new PaddleError(501, 'not_implemented', 'Changing subscription items is being built.', 'api_error');
}
