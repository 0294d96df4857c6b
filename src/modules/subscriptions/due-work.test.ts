import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextClaimSize } from './due-work.js';

describe('nextClaimSize: a batch claims what its time budget fits at the pace so far', () => {
  it('claims the first chunk before anything ran', () => {
    assert.equal(nextClaimSize(0, 0, 10, 4), 4);
  });

  it('claims as many more as the rest of the budget fits', () => {
    // 4 units in 2 ms: 0.5 ms each, 8 ms left → 16 more.
    assert.equal(nextClaimSize(4, 2, 10, 4), 16);
    // Slow units (2 ms each), 2 ms left → one more.
    assert.equal(nextClaimSize(4, 8, 10, 4), 1);
  });

  it('claims at least one when the budget is spent (the batch still takes its minimum)', () => {
    assert.equal(nextClaimSize(4, 12, 10, 4), 1);
  });

  it('claims a bounded number when units took no measurable time', () => {
    assert.ok(Number.isFinite(nextClaimSize(4, 0, 10, 4)));
  });
});
