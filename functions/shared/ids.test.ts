import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { feedbackId } from './ids.ts';

describe('feedbackId', () => {
  it('is stable for one (source, message id) and has the contract shape', () => {
    expect(feedbackId('web', 'msg_1')).toBe(feedbackId('web', 'msg_1'));
    expect(feedbackId('web', 'msg_1')).toMatch(/^fb_[a-z2-7]{26}$/);
  });

  it('differs across sources and message ids', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        fc.pre(a !== b);
        expect(feedbackId('web', a)).not.toBe(feedbackId('web', b));
        expect(feedbackId('web', a)).not.toBe(feedbackId('mobile', a));
      }),
    );
  });
});
