import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readMessage } from './message.ts';
import { viewText } from './features.ts';

describe('readMessage', () => {
  it('measures length in code points of the noise-free text (an emoji or a rare Han character is one)', () => {
    // Prepare
    const texts = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('😀 great 😀', '\ud83d lone', '𠀀𠀁 字', ''));
    // Act / Assess
    fc.assert(fc.property(texts, (text) => readMessage({ text }).length === Array.from(viewText(text).lower.trim()).length));
  });

  it('reads the subject with the text', () => {
    expect(readMessage({ subject: 'Card', text: 'swallowed' }).text).toBe('Card\nswallowed');
  });
});
