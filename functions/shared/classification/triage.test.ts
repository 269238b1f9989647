import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KINDS, type Classification } from '../../../schemas/feedback.ts';
import { classifyText, DEFAULT_TRIAGE_THRESHOLD } from './local-classifier.ts';
import { triageReason } from './triage.ts';

type TriageInput = Pick<Classification, 'kind' | 'probabilities' | 'negative' | 'supportedLanguage'>;
const probs = (complaint: number): NonNullable<Classification['probabilities']> => ({ complaint, inquiry: 1 - complaint, suggestion: 0, praise: 0 });

describe('triageReason', () => {
  it('sends a message in an unsupported language to triage whatever its kind', () => {
    // Arrange
    const c: TriageInput = { kind: 'complaint', probabilities: probs(0.9), negative: true, supportedLanguage: false };
    // Act / Assert
    expect(triageReason(c, { threshold: 0.5 })).toBe('unsupported_language');
  });

  it('leaves a complaint in a supported language alone (it already has its clocks)', () => {
    expect(triageReason({ kind: 'complaint', probabilities: probs(0.6), negative: true, supportedLanguage: true }, { threshold: 0.5 })).toBeUndefined();
  });

  it('sends a non-complaint whose complaint probability reaches the threshold as uncertain', () => {
    expect(triageReason({ kind: 'inquiry', probabilities: probs(0.5), negative: false, supportedLanguage: true }, { threshold: 0.5 })).toBe('uncertain_kind');
    expect(triageReason({ kind: 'inquiry', probabilities: probs(0.49), negative: false, supportedLanguage: true }, { threshold: 0.5 })).toBeUndefined();
  });

  it('sends a non-complaint that reads negative', () => {
    expect(triageReason({ kind: 'praise', probabilities: probs(0.01), negative: true, supportedLanguage: true }, { threshold: 0.5 })).toBe('negative_not_complaint');
  });

  it('reads a classification made before the calibrated fields by what it has', () => {
    expect(triageReason({ kind: 'inquiry' }, { threshold: 0.5 })).toBeUndefined();
    expect(triageReason({ kind: 'inquiry', negative: true }, { threshold: 0.5 })).toBe('negative_not_complaint');
  });

  it('never triages a supported-language complaint, and always an unsupported language (generated)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true }), (kind, p, negative, supported, threshold) => {
        const reason = triageReason({ kind, probabilities: probs(p), negative, supportedLanguage: supported }, { threshold });
        if (!supported) expect(reason).toBe('unsupported_language');
        else if (kind === 'complaint') expect(reason).toBeUndefined();
        else expect(reason !== undefined).toBe(p >= threshold || negative);
      }),
    );
  });
});

describe('triage with the committed classifier', () => {
  it('takes a Vietnamese complaint as outside the classifier', () => {
    const c = classifyText({ text: 'Chuyển khoản của tôi đã ba ngày mà vẫn chưa đến' });
    expect(triageReason(c, { threshold: DEFAULT_TRIAGE_THRESHOLD })).toBe('unsupported_language');
  });

  it('leaves a plain how-to question out of triage', () => {
    const c = classifyText({ text: 'How do I activate my new card?' });
    expect(c.kind).toBe('inquiry');
    expect(triageReason(c, { threshold: DEFAULT_TRIAGE_THRESHOLD })).toBeUndefined();
  });

  it('gives calibrated kind probabilities that sum to one, complaint high for a clear complaint', () => {
    const c = classifyText({ text: 'I want to make a formal complaint: my transfer has been pending for a week and nobody answers.' });
    const p = c.probabilities!;
    expect(p.complaint + p.inquiry + p.suggestion + p.praise).toBeCloseTo(1, 2);
    expect(p.complaint).toBeGreaterThan(0.5);
    expect(c.negative).toBe(true);
    expect(c.supportedLanguage).toBe(true);
  });
});
