import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Temporal } from '../kernel/time.js';
import { DomainError } from './errors.js';
import {
  activate,
  applyBillingChange,
  applyItemChange,
  applyScheduledChange,
  assertCanCharge,
  assertCanUpdate,
  billingDates,
  moveNextBilledAt,
  start,
  cancel,
  dueAction,
  dunningExhausted,
  pause,
  removeScheduledChange,
  renew,
  renewalFailed,
  renewalPaid,
  resume,
  type SubscriptionState,
  type Transition,
  type UpdateRequest,
} from './subscription-lifecycle.js';

const at = (iso: string) => Temporal.Instant.from(iso);
const iso = (instant: Temporal.Instant | null | undefined) => (instant ? instant.toString() : null);

// A monthly subscription started 2024-04-12T10:37:59.556997Z, in its second period.
const STARTED = '2024-04-12T10:37:59.556997Z';
const PERIOD_START = '2024-05-12T10:37:59.556997Z';
const PERIOD_END = '2024-06-12T10:37:59.556997Z';
const NOW = at('2024-05-20T12:00:00Z');
const IN_TRIAL = at('2024-04-20T00:00:00Z');

function active(overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    status: 'active',
    collection_mode: 'automatic',
    billing_cycle: { interval: 'month', frequency: 1 },
    billing_anchor: at(STARTED),
    started_at: at(STARTED),
    first_billed_at: at(STARTED),
    next_billed_at: at(PERIOD_END),
    current_billing_period: { starts_at: at(PERIOD_START), ends_at: at(PERIOD_END) },
    scheduled_change: null,
    paused_at: null,
    canceled_at: null,
    on_resume: null,
    past_due_when_paused: false,
    items: [
      {
        price_id: 'pri_a',
        status: 'active',
        previously_billed_at: at(PERIOD_START),
        next_billed_at: at(PERIOD_END),
        trial_dates: null,
      },
    ],
    ...overrides,
  };
}

// A 14-day trial started 2024-04-12T11:30:29.637Z (Paddle's subscription.trialing example).
const TRIAL_START = '2024-04-12T11:30:29.637Z';
const TRIAL_END = '2024-04-26T11:30:29.637Z';
function trialing(overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  const trial = { starts_at: at(TRIAL_START), ends_at: at(TRIAL_END) };
  return active({
    status: 'trialing',
    billing_anchor: at(TRIAL_START),
    started_at: at(TRIAL_START),
    first_billed_at: null,
    next_billed_at: at(TRIAL_END),
    current_billing_period: trial,
    items: [
      {
        price_id: 'pri_a',
        status: 'trialing',
        previously_billed_at: null,
        next_billed_at: at(TRIAL_END),
        trial_dates: trial,
      },
    ],
    ...overrides,
  });
}

function paused(overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  const base = active();
  return {
    ...base,
    status: 'paused',
    paused_at: at('2024-05-15T00:00:00Z'),
    next_billed_at: null,
    on_resume: 'start_new_billing_period',
    items: base.items.map((item) => ({ ...item, status: 'inactive' as const, next_billed_at: null })),
    ...overrides,
  };
}

const fails =
  (code: string, status = 400) =>
  (error: unknown) => {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    return true;
  };

const brief = (transition: Transition) => ({
  status: transition.state.status,
  events: transition.events,
  next_billed_at: iso(transition.state.next_billed_at),
  scheduled_change: transition.state.scheduled_change && {
    action: transition.state.scheduled_change.action,
    effective_at: iso(transition.state.scheduled_change.effective_at),
    resume_at: iso(transition.state.scheduled_change.resume_at),
  },
});

describe('cancel', () => {
  it('schedules an active subscription to cancel at the period end, hiding the renewal', () => {
    const result = cancel(active(), {}, NOW);
    assert.deepEqual(brief(result), {
      status: 'active',
      events: ['subscription.updated'],
      next_billed_at: null,
      scheduled_change: { action: 'cancel', effective_at: PERIOD_END, resume_at: null },
    });
    assert.equal(result.state.items[0]!.next_billed_at, null);
    assert.equal(result.bill, null);
  });

  it('then cancels at effective_at when the scheduled change is applied', () => {
    const scheduled = cancel(active(), { effective_from: 'next_billing_period' }, NOW).state;
    assert.equal(dueAction(scheduled, at('2024-06-12T10:37:59.556996Z')), null);
    const later = at('2024-06-12T10:38:30Z');
    assert.equal(dueAction(scheduled, later), 'apply_scheduled_change');
    const result = applyScheduledChange(scheduled, later);
    assert.deepEqual(result.events, ['subscription.updated', 'subscription.canceled']);
    assert.equal(result.state.status, 'canceled');
    assert.equal(iso(result.state.canceled_at), PERIOD_END);
    assert.equal(result.state.current_billing_period, null);
    assert.equal(result.state.scheduled_change, null);
  });

  const immediate: Array<[string, SubscriptionState, 'immediately' | undefined, Temporal.Instant]> = [
    ['an active subscription asked to cancel immediately', active(), 'immediately', NOW],
    ['a paused subscription by default', paused(), undefined, NOW],
    ['a past-due subscription by default', active({ status: 'past_due' }), undefined, NOW],
    ['a trialing subscription asked to cancel immediately', trialing(), 'immediately', IN_TRIAL],
  ];
  for (const [name, state, from, now] of immediate) {
    it(`cancels ${name} now`, () => {
      const result = cancel(state, { effective_from: from }, now);
      assert.deepEqual(brief(result), {
        status: 'canceled',
        events: ['subscription.updated', 'subscription.canceled'],
        next_billed_at: null,
        scheduled_change: null,
      });
      assert.equal(iso(result.state.canceled_at), now.toString());
      assert.equal(result.state.paused_at, null);
      assert.equal(result.state.current_billing_period, null);
    });
  }

  it('schedules a trialing subscription to cancel at the trial end', () => {
    assert.deepEqual(brief(cancel(trialing(), {}, IN_TRIAL)).scheduled_change, {
      action: 'cancel',
      effective_at: TRIAL_END,
      resume_at: null,
    });
  });

  const refused: Array<[string, SubscriptionState, 'next_billing_period' | 'immediately' | undefined, string, number]> =
    [
      [
        'a canceled subscription',
        active({ status: 'canceled', next_billed_at: null }),
        undefined,
        'subscription_is_canceled_action_invalid',
        400,
      ],
      [
        'a paused subscription at the period end',
        paused(),
        'next_billing_period',
        'subscription_is_inactive_action_invalid',
        400,
      ],
      [
        'a second scheduled change',
        active({
          scheduled_change: { action: 'cancel', effective_at: at(PERIOD_END), resume_at: null },
          next_billed_at: null,
        }),
        undefined,
        'subscription_locked_pending_changes',
        400,
      ],
      [
        'an immediate cancel over a scheduled cancel',
        active({
          scheduled_change: { action: 'cancel', effective_at: at(PERIOD_END), resume_at: null },
          next_billed_at: null,
        }),
        'immediately',
        'subscription_locked_pending_changes',
        400,
      ],
      [
        'an immediate cancel over a scheduled pause',
        active({
          scheduled_change: { action: 'pause', effective_at: at(PERIOD_END), resume_at: null },
          next_billed_at: null,
        }),
        'immediately',
        'subscription_locked_pending_changes',
        400,
      ],
      [
        'a cancel of a paused subscription with a scheduled resume',
        paused({ scheduled_change: { action: 'resume', effective_at: at(PERIOD_END), resume_at: null } }),
        undefined,
        'subscription_locked_pending_changes',
        400,
      ],
    ];
  for (const [name, state, from, code, status] of refused) {
    it(`refuses ${name} with ${code}`, () =>
      assert.throws(() => cancel(state, { effective_from: from }, NOW), fails(code, status)));
  }

  it('names the scheduled change in the way, and how to remove it', () => {
    const state = active({
      scheduled_change: { action: 'pause', effective_at: at(PERIOD_END), resume_at: null },
      next_billed_at: null,
    });
    assert.throws(
      () => cancel(state, { effective_from: 'immediately' }, NOW),
      (error: Error) => /a pause is scheduled for .*scheduled_change": null/.test(error.message),
    );
  });

  it('locks the 30 minutes before renewal (409 subscription_locked_renewal), not a microsecond earlier', () => {
    const edge = at(PERIOD_END).subtract({ minutes: 30 });
    assert.throws(() => cancel(active(), {}, edge), fails('subscription_locked_renewal', 409));
    assert.throws(
      () => cancel(active(), { effective_from: 'immediately' }, at(PERIOD_END)),
      fails('subscription_locked_renewal', 409),
    );
    assert.equal(cancel(active(), {}, edge.subtract({ microseconds: 1 })).state.scheduled_change?.action, 'cancel');
  });
});

describe('pause', () => {
  it('schedules an active subscription to pause at the period end, open-ended', () => {
    const result = pause(active(), {}, NOW);
    assert.deepEqual(brief(result), {
      status: 'active',
      events: ['subscription.updated'],
      next_billed_at: null,
      scheduled_change: { action: 'pause', effective_at: PERIOD_END, resume_at: null },
    });
  });

  it("shows the resume date as next_billed_at when pausing at the period end with one (Paddle's example)", () => {
    const result = pause(active(), { resume_at: at('2024-09-01T16:30:00Z') }, NOW);
    assert.deepEqual(brief(result).scheduled_change, {
      action: 'pause',
      effective_at: PERIOD_END,
      resume_at: '2024-09-01T16:30:00Z',
    });
    assert.equal(iso(result.state.next_billed_at), '2024-09-01T16:30:00Z');
    assert.equal(iso(result.state.items[0]!.next_billed_at), '2024-09-01T16:30:00Z');
  });

  it('pauses now: items inactive, billing period kept, no next billing', () => {
    const result = pause(active(), { effective_from: 'immediately' }, NOW);
    assert.deepEqual(brief(result), {
      status: 'paused',
      events: ['subscription.updated', 'subscription.paused'],
      next_billed_at: null,
      scheduled_change: null,
    });
    assert.equal(iso(result.state.paused_at), NOW.toString());
    assert.equal(result.state.items[0]!.status, 'inactive');
    assert.equal(iso(result.state.current_billing_period?.ends_at), PERIOD_END);
  });

  it('pauses now with a resume date as a scheduled resume', () => {
    const result = pause(active(), { effective_from: 'immediately', resume_at: at('2024-07-01T00:00:00Z') }, NOW);
    assert.deepEqual(brief(result), {
      status: 'paused',
      events: ['subscription.updated', 'subscription.paused'],
      next_billed_at: '2024-07-01T00:00:00Z',
      scheduled_change: { action: 'resume', effective_at: '2024-07-01T00:00:00Z', resume_at: null },
    });
  });

  it('pauses a past-due subscription now by default and remembers it was past due', () => {
    const result = pause(active({ status: 'past_due' }), {}, NOW);
    assert.equal(result.state.status, 'paused');
    assert.equal(result.state.past_due_when_paused, true);
  });

  it('schedules a trialing subscription to pause at the trial end', () => {
    assert.equal(iso(pause(trialing(), {}, IN_TRIAL).state.scheduled_change?.effective_at), TRIAL_END);
  });

  it('applies a scheduled pause at effective_at, turning its resume date into a scheduled resume', () => {
    const scheduled = pause(
      active(),
      { resume_at: at('2024-09-01T16:30:00Z'), on_resume: 'start_new_billing_period' },
      NOW,
    ).state;
    const result = applyScheduledChange(scheduled, at('2024-06-12T11:00:00Z'));
    assert.deepEqual(brief(result), {
      status: 'paused',
      events: ['subscription.updated', 'subscription.paused'],
      next_billed_at: '2024-09-01T16:30:00Z',
      scheduled_change: { action: 'resume', effective_at: '2024-09-01T16:30:00Z', resume_at: null },
    });
    assert.equal(iso(result.state.paused_at), PERIOD_END);
  });

  const refused: Array<[string, SubscriptionState, Parameters<typeof pause>[1], string]> = [
    [
      'a canceled subscription',
      active({ status: 'canceled', next_billed_at: null }),
      {},
      'subscription_is_canceled_action_invalid',
    ],
    ['a paused subscription', paused(), { effective_from: 'immediately' }, 'subscription_cannot_be_paused'],
    [
      'a subscription with a scheduled cancel',
      active({
        next_billed_at: null,
        scheduled_change: { action: 'cancel', effective_at: at(PERIOD_END), resume_at: null },
      }),
      {},
      'subscription_locked_pending_changes',
    ],
    ['a trialing subscription now', trialing(), { effective_from: 'immediately' }, 'subscription_update_when_trialing'],
    [
      'a resume date before the pause takes effect',
      active(),
      { resume_at: at('2024-06-01T00:00:00Z') },
      'invalid_field',
    ],
    [
      'continuing a period that ends before the resume date',
      active(),
      {
        effective_from: 'immediately',
        resume_at: at('2024-06-20T00:00:00Z'),
        on_resume: 'continue_existing_billing_period',
      },
      'subscription_continuing_existing_billing_period_not_allowed',
    ],
    [
      'continuing after pausing at the period end',
      active(),
      { resume_at: at('2024-07-01T00:00:00Z'), on_resume: 'continue_existing_billing_period' },
      'subscription_continuing_existing_billing_period_not_allowed',
    ],
    [
      'continuing a past-due period',
      active({ status: 'past_due' }),
      { resume_at: at('2024-05-25T00:00:00Z'), on_resume: 'continue_existing_billing_period' },
      'subscription_continuing_existing_billing_period_not_allowed_subscription_past_due',
    ],
  ];
  for (const [name, state, input, code] of refused) {
    it(`refuses ${name} with ${code}`, () => assert.throws(() => pause(state, input, NOW), fails(code)));
  }

  it('accepts continuing when the resume date is inside the kept period', () => {
    const result = pause(
      active(),
      {
        effective_from: 'immediately',
        resume_at: at('2024-06-01T00:00:00Z'),
        on_resume: 'continue_existing_billing_period',
      },
      NOW,
    );
    assert.equal(result.state.on_resume, 'continue_existing_billing_period');
  });
});

describe('resume', () => {
  it('resumes a paused subscription now into a new billing period, billed now (default)', () => {
    const result = resume(paused(), {}, NOW);
    assert.deepEqual(brief(result), {
      status: 'active',
      events: ['subscription.updated', 'subscription.resumed'],
      next_billed_at: '2024-06-20T12:00:00Z',
      scheduled_change: null,
    });
    assert.equal(iso(result.state.current_billing_period?.starts_at), NOW.toString());
    assert.equal(iso(result.state.billing_anchor), NOW.toString());
    assert.equal(iso(result.bill?.ends_at), '2024-06-20T12:00:00Z');
    assert.equal(result.state.items[0]!.status, 'active');
    assert.equal(iso(result.state.items[0]!.previously_billed_at), NOW.toString());
    assert.equal(result.state.paused_at, null);
    assert.equal(iso(result.state.first_billed_at), STARTED);
  });

  it('continues the existing period without a charge when asked and still inside it', () => {
    const result = resume(
      paused(),
      { effective_from: 'immediately', on_resume: 'continue_existing_billing_period' },
      NOW,
    );
    assert.equal(result.state.status, 'active');
    assert.equal(result.bill, null);
    assert.equal(iso(result.state.next_billed_at), PERIOD_END);
    assert.equal(iso(result.state.current_billing_period?.starts_at), PERIOD_START);
  });

  it('treats a resume time that is not in the future as now', () => {
    assert.equal(resume(paused(), { effective_from: at('2024-05-01T00:00:00Z') }, NOW).state.status, 'active');
  });

  it('schedules a paused subscription to resume at a future time', () => {
    const result = resume(paused(), { effective_from: at('2024-07-01T00:00:00Z') }, NOW);
    assert.deepEqual(brief(result), {
      status: 'paused',
      events: ['subscription.updated'],
      next_billed_at: '2024-07-01T00:00:00Z',
      scheduled_change: { action: 'resume', effective_at: '2024-07-01T00:00:00Z', resume_at: null },
    });
  });

  it('sets the resume date of an active subscription that is scheduled to pause', () => {
    const scheduled = pause(active(), {}, NOW).state;
    const result = resume(scheduled, { effective_from: at('2024-08-01T00:00:00Z') }, NOW);
    assert.deepEqual(brief(result), {
      status: 'active',
      events: ['subscription.updated'],
      next_billed_at: '2024-08-01T00:00:00Z',
      scheduled_change: { action: 'pause', effective_at: PERIOD_END, resume_at: '2024-08-01T00:00:00Z' },
    });
  });

  it('applies a scheduled resume at effective_at (new period from then)', () => {
    const scheduled = resume(paused(), { effective_from: at('2024-07-01T00:00:00Z') }, NOW).state;
    const result = applyScheduledChange(scheduled, at('2024-07-01T00:05:00Z'));
    assert.deepEqual(brief(result), {
      status: 'active',
      events: ['subscription.updated', 'subscription.resumed'],
      next_billed_at: '2024-08-01T00:00:00Z',
      scheduled_change: null,
    });
    assert.equal(iso(result.bill?.starts_at), '2024-07-01T00:00:00Z');
  });

  it('starts a new period when a scheduled continuing resume can no longer continue', () => {
    const state = paused({
      on_resume: 'continue_existing_billing_period',
      scheduled_change: { action: 'resume', effective_at: at('2024-07-01T00:00:00Z'), resume_at: null },
    });
    const result = applyScheduledChange(state, at('2024-07-01T00:00:00Z'));
    assert.equal(iso(result.bill?.starts_at), '2024-07-01T00:00:00Z');
  });

  const refused: Array<[string, SubscriptionState, Parameters<typeof resume>[1], string]> = [
    [
      'a canceled subscription',
      active({ status: 'canceled', next_billed_at: null }),
      {},
      'subscription_is_canceled_action_invalid',
    ],
    ['an active subscription', active(), {}, 'subscription_must_be_paused'],
    [
      'an active subscription scheduled to pause, immediately',
      pause(active(), {}, NOW).state,
      { effective_from: 'immediately' },
      'subscription_must_be_paused',
    ],
    ['a past-due subscription', active({ status: 'past_due' }), {}, 'subscription_must_be_paused'],
    [
      'a resume date before a scheduled pause',
      pause(active(), {}, NOW).state,
      { effective_from: at('2024-06-01T00:00:00Z') },
      'invalid_field',
    ],
    [
      'continuing after the period ended',
      paused(),
      { on_resume: 'continue_existing_billing_period' },
      'subscription_continuing_existing_billing_period_not_allowed',
    ],
    [
      'continuing without a period',
      paused({ current_billing_period: null }),
      { on_resume: 'continue_existing_billing_period' },
      'subscription_continuing_existing_billing_period_not_allowed_no_billing_period',
    ],
    [
      'continuing a subscription paused while past due',
      paused({ past_due_when_paused: true }),
      { on_resume: 'continue_existing_billing_period' },
      'subscription_continuing_existing_billing_period_not_allowed_subscription_past_due',
    ],
    [
      'scheduling a continuing resume after the period end',
      paused(),
      { effective_from: at('2024-06-20T00:00:00Z'), on_resume: 'continue_existing_billing_period' },
      'subscription_continuing_existing_billing_period_not_allowed',
    ],
  ];
  for (const [name, state, input, code] of refused) {
    const now = name.startsWith('continuing after') ? at('2024-06-12T11:00:00Z') : NOW;
    it(`refuses ${name} with ${code}`, () => assert.throws(() => resume(state, input, now), fails(code)));
  }

  it('locks a scheduled resume in its last 30 minutes (409 subscription_locked_processing)', () => {
    const state = paused({
      next_billed_at: at('2024-05-20T12:20:00Z'),
      scheduled_change: { action: 'resume', effective_at: at('2024-05-20T12:20:00Z'), resume_at: null },
    });
    assert.throws(() => resume(state, {}, NOW), fails('subscription_locked_processing', 409));
  });
});

describe('activate', () => {
  const now = at('2024-04-12T11:31:09.996Z');

  it("ends the trial now and bills a first period from now (Paddle's activate example)", () => {
    const result = activate(trialing(), now);
    assert.deepEqual(brief(result), {
      status: 'active',
      events: ['subscription.updated', 'subscription.activated'],
      next_billed_at: '2024-05-12T11:31:09.996Z',
      scheduled_change: null,
    });
    assert.equal(iso(result.state.first_billed_at), '2024-04-12T11:31:09.996Z');
    assert.equal(iso(result.state.started_at), TRIAL_START);
    const item = result.state.items[0]!;
    assert.equal(item.status, 'active');
    assert.equal(iso(item.trial_dates?.starts_at), TRIAL_START);
    assert.equal(iso(item.trial_dates?.ends_at), '2024-04-12T11:31:09.996Z');
    assert.equal(iso(result.bill?.starts_at), '2024-04-12T11:31:09.996Z');
  });

  const refused: Array<[string, SubscriptionState, string]> = [
    ['an active subscription', active(), 'subscription_cannot_activate'],
    ['a paused subscription', paused(), 'subscription_cannot_activate'],
    [
      'a manually-collected trial',
      trialing({ collection_mode: 'manual' }),
      'subscription_manual_collection_mode_activation_not_allowed',
    ],
    [
      'a trial scheduled to cancel',
      trialing({
        next_billed_at: null,
        scheduled_change: { action: 'cancel', effective_at: at(TRIAL_END), resume_at: null },
      }),
      'subscription_locked_pending_changes',
    ],
  ];
  for (const [name, state, code] of refused) {
    it(`refuses ${name} with ${code}`, () => assert.throws(() => activate(state, now), fails(code)));
  }

  it('says which status it found', () => {
    assert.throws(() => activate(paused(), now), /Subscription status is 'paused'/);
  });
});

describe('removeScheduledChange', () => {
  it('removes a scheduled cancel and shows the renewal again', () => {
    const result = removeScheduledChange(cancel(active(), {}, NOW).state, NOW);
    assert.deepEqual(brief(result), {
      status: 'active',
      events: ['subscription.updated'],
      next_billed_at: PERIOD_END,
      scheduled_change: null,
    });
    assert.equal(iso(result.state.items[0]!.next_billed_at), PERIOD_END);
  });

  it('turns a scheduled resume back into an open-ended pause', () => {
    const scheduled = resume(paused(), { effective_from: at('2024-07-01T00:00:00Z') }, NOW).state;
    const result = removeScheduledChange(scheduled, NOW);
    assert.deepEqual(brief(result), {
      status: 'paused',
      events: ['subscription.updated'],
      next_billed_at: null,
      scheduled_change: null,
    });
  });

  it('does nothing without a scheduled change', () =>
    assert.deepEqual(removeScheduledChange(active(), NOW).events, []));

  it('refuses a canceled subscription and the last 30 minutes before the change', () => {
    assert.throws(
      () => removeScheduledChange(active({ status: 'canceled' }), NOW),
      fails('subscription_update_when_canceled'),
    );
    const scheduled = cancel(active(), {}, NOW).state;
    assert.throws(
      () => removeScheduledChange(scheduled, at('2024-06-12T10:10:00Z')),
      fails('subscription_locked_processing', 409),
    );
  });
});

describe('renewals', () => {
  it('renews when next_billed_at comes, counting from the anchor', () => {
    const state = active();
    assert.equal(dueAction(state, NOW), null);
    assert.equal(dueAction(state, at(PERIOD_END)), 'renew');
    const result = renew(state, at(PERIOD_END));
    assert.deepEqual(brief(result), {
      status: 'active',
      events: ['subscription.updated'],
      next_billed_at: '2024-07-12T10:37:59.556997Z',
      scheduled_change: null,
    });
    assert.equal(iso(result.bill?.starts_at), PERIOD_END);
    assert.equal(iso(result.state.items[0]!.previously_billed_at), PERIOD_END);
  });

  it('keeps a Jan 31 anchor across renewals (Feb 29 → Mar 31 → Apr 30)', () => {
    let state = active({
      billing_anchor: at('2024-01-31T09:00:00Z'),
      current_billing_period: { starts_at: at('2024-01-31T09:00:00Z'), ends_at: at('2024-02-29T09:00:00Z') },
      next_billed_at: at('2024-02-29T09:00:00Z'),
    });
    const ends: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      state = renew(state, state.next_billed_at!).state;
      ends.push(iso(state.next_billed_at)!);
    }
    assert.deepEqual(ends, ['2024-03-31T09:00:00Z', '2024-04-30T09:00:00Z', '2024-05-31T09:00:00Z']);
  });

  it('moves a trial into its first paid period and activates it once paid', () => {
    const renewed = renew(trialing(), at(TRIAL_END));
    assert.equal(renewed.state.status, 'trialing');
    assert.equal(iso(renewed.state.first_billed_at), TRIAL_END);
    assert.equal(iso(renewed.state.billing_anchor), TRIAL_END);
    assert.equal(iso(renewed.state.next_billed_at), '2024-05-26T11:30:29.637Z');
    const paid = renewalPaid(renewed.state);
    assert.deepEqual(paid.events, ['subscription.updated', 'subscription.activated']);
    assert.equal(paid.state.status, 'active');
    assert.equal(paid.state.items[0]!.status, 'active');
  });

  const outcomes: Array<[string, (state: SubscriptionState) => Transition, SubscriptionState, string, string[]]> = [
    [
      'a failed renewal makes an active subscription past due',
      renewalFailed,
      active(),
      'past_due',
      ['subscription.updated', 'subscription.past_due'],
    ],
    [
      'a failed trial-end charge makes a trial past due',
      renewalFailed,
      trialing(),
      'past_due',
      ['subscription.updated', 'subscription.past_due'],
    ],
    [
      'another failure leaves a past-due subscription as it is',
      renewalFailed,
      active({ status: 'past_due' }),
      'past_due',
      [],
    ],
    [
      'a recovered payment makes a past-due subscription active',
      renewalPaid,
      active({ status: 'past_due' }),
      'active',
      ['subscription.updated'],
    ],
    ['a paid renewal leaves an active subscription as it is', renewalPaid, active(), 'active', []],
    [
      'a late payment does not revive a canceled subscription',
      renewalPaid,
      active({ status: 'canceled' }),
      'canceled',
      [],
    ],
  ];
  for (const [name, move, state, status, events] of outcomes) {
    it(name, () => {
      const result = move(state);
      assert.equal(result.state.status, status);
      assert.deepEqual(result.events, events);
    });
  }

  it('still renews a past-due subscription (weekly) without changing its status', () => {
    const weekly = active({
      status: 'past_due',
      billing_cycle: { interval: 'week', frequency: 1 },
      billing_anchor: at('2024-05-29T10:37:59.556997Z'),
      current_billing_period: { starts_at: at('2024-06-05T10:37:59.556997Z'), ends_at: at(PERIOD_END) },
    });
    const result = renew(weekly, at(PERIOD_END));
    assert.equal(result.state.status, 'past_due');
    assert.equal(iso(result.state.next_billed_at), '2024-06-19T10:37:59.556997Z');
  });

  it('refuses to renew early, while paused, or before a due scheduled change', () => {
    assert.throws(() => renew(active(), NOW), RangeError);
    assert.throws(() => renew(paused({ next_billed_at: at(PERIOD_END) }), at(PERIOD_END)), RangeError);
    const scheduled = pause(active(), { resume_at: at('2024-07-30T00:00:00Z') }, NOW).state;
    assert.equal(dueAction(scheduled, at('2024-06-13T00:00:00Z')), 'apply_scheduled_change');
    assert.throws(() => renew(scheduled, at('2024-06-13T00:00:00Z')), RangeError);
    assert.throws(() => applyScheduledChange(active(), NOW), RangeError);
  });

  it('cancels a past-due subscription when dunning runs out (default), or pauses it', () => {
    const canceled = dunningExhausted(active({ status: 'past_due' }), NOW);
    assert.deepEqual(brief(canceled), {
      status: 'canceled',
      events: ['subscription.updated', 'subscription.canceled'],
      next_billed_at: null,
      scheduled_change: null,
    });
    const pausedResult = dunningExhausted(active({ status: 'past_due' }), NOW, 'subscription_paused');
    assert.deepEqual(pausedResult.events, ['subscription.updated', 'subscription.paused']);
    assert.equal(pausedResult.state.past_due_when_paused, true);
    assert.deepEqual(dunningExhausted(active(), NOW).events, []);
  });
});

describe('assertCanUpdate', () => {
  const items = (mode: UpdateRequest['proration_billing_mode']): UpdateRequest => ({
    items: true,
    next_billed_at: null,
    proration_billing_mode: mode,
  });
  const other: UpdateRequest = { items: false, next_billed_at: null, proration_billing_mode: null };
  const withCancel = active({
    next_billed_at: null,
    scheduled_change: { action: 'cancel', effective_at: at(PERIOD_END), resume_at: null },
  });
  const table: Array<[string, SubscriptionState, UpdateRequest, string | null, number?]> = [
    // trials are checked on IN_TRIAL, everything else on NOW
    ['a canceled subscription', active({ status: 'canceled' }), other, 'subscription_update_when_canceled'],
    ['a past-due subscription', active({ status: 'past_due' }), other, 'subscription_update_when_past_due'],
    [
      'items without a proration mode',
      active(),
      items(null),
      'subscription_items_update_missing_proration_billing_mode',
    ],
    ['items on an active subscription, prorated', active(), items('prorated_immediately'), null],
    ['custom data on an active subscription', active(), other, null],
    [
      'a trial, prorated',
      trialing(),
      items('prorated_immediately'),
      'subscription_trialing_items_update_invalid_options',
    ],
    ['a trial, not billed', trialing(), items('do_not_bill'), null],
    [
      'a new next_billed_at on a paused subscription',
      paused(),
      { items: false, next_billed_at: at('2024-07-01T00:00:00Z'), proration_billing_mode: 'do_not_bill' },
      'subscription_only_update_items_on_paused_subscription',
    ],
    [
      'items on a paused subscription, prorated now',
      paused(),
      items('prorated_immediately'),
      'subscription_incorrect_proration_on_paused_subscription',
    ],
    ['items on a paused subscription, not billed', paused(), items('do_not_bill'), null],
    [
      'items with a scheduled change, at the next period',
      withCancel,
      items('prorated_next_billing_period'),
      'subscription_invalid_billing_mode_for_scheduled_change',
    ],
    ['items with a scheduled change, prorated now', withCancel, items('prorated_immediately'), null],
    [
      'a new next_billed_at with a scheduled change',
      withCancel,
      { items: false, next_billed_at: at('2024-07-01T00:00:00Z'), proration_billing_mode: 'prorated_immediately' },
      'subscription_locked_pending_changes',
    ],
    [
      'a next_billed_at 10 minutes away',
      active(),
      { items: false, next_billed_at: NOW.add({ minutes: 10 }), proration_billing_mode: 'do_not_bill' },
      'subscription_next_billed_at_too_soon',
    ],
    [
      'anything 10 minutes before renewal',
      active({ next_billed_at: NOW.add({ minutes: 10 }) }),
      other,
      'subscription_locked_renewal',
      409,
    ],
  ];
  for (const [name, state, request, code, status] of table) {
    const now = state.status === 'trialing' ? IN_TRIAL : NOW;
    it(code ? `refuses ${name} with ${code}` : `allows ${name}`, () => {
      if (!code) return assert.doesNotThrow(() => assertCanUpdate(state, request, now));
      assert.throws(() => assertCanUpdate(state, request, now), fails(code, status));
    });
  }
});

describe('applyBillingChange', () => {
  it('moves the trial end with next_billed_at on a trialing subscription', () => {
    const end = at('2024-05-03T11:30:29.637Z');
    const result = applyBillingChange(trialing(), {
      billing_cycle: { interval: 'month', frequency: 1 },
      billing_anchor: end,
      current_billing_period: { starts_at: at(TRIAL_START), ends_at: end },
      next_billed_at: end,
    });
    assert.deepEqual(result.events, ['subscription.updated']);
    assert.equal(iso(result.state.items[0]!.trial_dates?.ends_at), '2024-05-03T11:30:29.637Z');
    assert.equal(iso(result.state.items[0]!.next_billed_at), '2024-05-03T11:30:29.637Z');
  });

  it('sets the new cycle, anchor and period after a frequency change', () => {
    const result = applyBillingChange(active(), {
      billing_cycle: { interval: 'year', frequency: 1 },
      billing_anchor: NOW,
      current_billing_period: { starts_at: NOW, ends_at: at('2025-05-20T12:00:00Z') },
      next_billed_at: at('2025-05-20T12:00:00Z'),
    });
    assert.deepEqual(result.state.billing_cycle, { interval: 'year', frequency: 1 });
    assert.equal(iso(result.state.next_billed_at), '2025-05-20T12:00:00Z');
    assert.equal(result.state.items[0]!.trial_dates, null);
  });
});

describe('start', () => {
  const base = {
    now: NOW,
    billing_cycle: { interval: 'month', frequency: 1 } as const,
    collection_mode: 'automatic' as const,
    price_ids: ['pri_a', 'pri_b'],
  };

  it('starts active and billed now for its first period without a trial', () => {
    const state = start({ ...base, trial_period: null });
    assert.equal(state.status, 'active');
    assert.equal(iso(state.first_billed_at), iso(NOW));
    assert.equal(iso(state.next_billed_at), '2024-06-20T12:00:00Z');
    assert.deepEqual(
      state.items.map((item) => [item.price_id, item.status, iso(item.previously_billed_at), item.trial_dates]),
      [
        ['pri_a', 'active', iso(NOW), null],
        ['pri_b', 'active', iso(NOW), null],
      ],
    );
  });

  it('trials an automatically-collected subscription, and ignores the trial under manual collection', () => {
    const trial = { interval: 'day', frequency: 14 } as const;
    const trialing = start({ ...base, trial_period: trial });
    assert.equal(trialing.status, 'trialing');
    assert.equal(trialing.first_billed_at, null);
    assert.equal(iso(trialing.next_billed_at), '2024-06-03T12:00:00Z');
    assert.equal(iso(trialing.items[0]!.trial_dates?.ends_at), '2024-06-03T12:00:00Z');
    assert.equal(start({ ...base, trial_period: trial, collection_mode: 'manual' }).status, 'active');
  });
});

describe('billing dates of an update', () => {
  it('moves next_billed_at: the period ends and periods are counted from the new date', () => {
    const to = at('2024-06-01T00:00:00Z');
    const moved = moveNextBilledAt(billingDates(active(), NOW), to);
    assert.equal(iso(moved.billing_anchor), iso(to));
    assert.deepEqual(
      [iso(moved.current_billing_period.starts_at), iso(moved.current_billing_period.ends_at)],
      [PERIOD_START, iso(to)],
    );
    assert.equal(iso(moved.next_billed_at), iso(to));
  });

  it("gives new items the subscription's dates and keeps the others", () => {
    const kept = active();
    const changed = applyItemChange(kept, {
      price_ids: ['pri_b', 'pri_a'],
      billedAt: NOW,
      wholeSubscriptionBilled: false,
    });
    const [added, old] = changed.state.items;
    assert.deepEqual(old, kept.items[0]);
    assert.equal(added!.price_id, 'pri_b');
    assert.equal(added!.status, 'active');
    assert.equal(iso(added!.previously_billed_at), iso(NOW));
    assert.equal(iso(added!.next_billed_at), PERIOD_END);
    const unbilled = applyItemChange(active({ status: 'paused' }), {
      price_ids: ['pri_b'],
      billedAt: null,
      wholeSubscriptionBilled: false,
    });
    assert.equal(unbilled.state.items[0]!.status, 'inactive');
    assert.equal(unbilled.state.items[0]!.previously_billed_at, null);
    const recycled = applyItemChange(kept, { price_ids: ['pri_a'], billedAt: NOW, wholeSubscriptionBilled: true });
    assert.equal(iso(recycled.state.items[0]!.previously_billed_at), iso(NOW));
  });
});

describe('assertCanCharge', () => {
  it('refuses canceled and past-due subscriptions with the update codes, and paused ones billed now', () => {
    assert.throws(
      () => assertCanCharge(active({ status: 'canceled' }), 'immediately', NOW),
      fails('subscription_update_when_canceled'),
    );
    assert.throws(
      () => assertCanCharge(active({ status: 'past_due' }), 'immediately', NOW),
      fails('subscription_update_when_past_due'),
    );
    assert.throws(
      () => assertCanCharge(active({ status: 'paused' }), 'immediately', NOW),
      fails('subscription_update_error_when_paused', 501),
    );
    assert.doesNotThrow(() => assertCanCharge(active(), 'next_billing_period', NOW));
  });
});
