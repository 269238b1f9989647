import { describe, expect, it } from 'vitest';
import { decideSeverity, type SeverityInput } from './decide-severity.ts';
import { viewText } from './features.ts';

const input = (text: string, over: Partial<SeverityInput> = {}): SeverityInput => ({
  kind: 'complaint',
  category: 'service_attitude',
  view: viewText(text),
  fraudWording: false,
  threatCues: [],
  ...over,
});
/** The severity head's reading: probabilities of low, medium, high, critical. */
const read = (...p: number[]): (() => Float64Array) => () => Float64Array.from(p);

describe('the severity model raises, never lowers', () => {
  it('raises a complaint to the highest level whose "at least" probability reaches one half', () => {
    // Arrange: P(≥ critical) 0.2, P(≥ high) 0.6 → high
    const decision = decideSeverity(input('The teller was rude to my mother.', { modelSeverity: read(0.1, 0.3, 0.4, 0.2) }));
    // Assert
    expect(decision.severity).toBe('high');
    expect(decision.reason).toMatch(/severity model reads at least high \(p 0\.60\)/);
  });

  it('leaves a rule\'s higher severity alone', () => {
    const decision = decideSeverity(input('Someone took £900 from my account', { category: 'fraud_security', fraudWording: true, modelSeverity: read(0.1, 0.6, 0.2, 0.1) }));
    expect(decision.severity).toBe('critical');
    expect(decision.reason).not.toMatch(/severity model/);
  });

  it('never raises praise or an ordinary inquiry, but reads a fraud report asked as a question', () => {
    const high = read(0, 0, 0.9, 0.1);
    expect(decideSeverity(input('Thank you for sorting my card so fast', { kind: 'praise', modelSeverity: high })).severity).toBe('low');
    expect(decideSeverity(input('How do I order a new card?', { kind: 'inquiry', category: 'card_issues', modelSeverity: high })).severity).toBe('low');
    expect(decideSeverity(input('My card was stolen, what do I do?', { kind: 'inquiry', category: 'fraud_security', modelSeverity: high })).severity).toBe('high');
  });

  it('makes a scam the customer was talked into paying critical by rule: the money left by their own hand', () => {
    const fraud = { category: 'fraud_security' as const, fraudWording: true, modelSeverity: null };
    expect(decideSeverity(input('Someone posing as HMRC said I owed tax. I transferred £1,500 to them.', fraud)).severity).toBe('critical');
    expect(decideSeverity(input('Man pretending to be from the bank had me send £700 to a safe account.', fraud)).reason).toMatch(/money lost.*send £700/);
    // A payment beside the fraud team's check, with no scam told, is no money gone.
    expect(decideSeverity(input('The fraud team blocked my card when I paid £50 at Tesco.', fraud)).severity).toBe('high');
  });

  it('makes fraud with unauthorised transactions of a named amount critical, unless they were stopped', () => {
    const fraud = { category: 'fraud_security' as const, fraudWording: true, modelSeverity: null };
    expect(decideSeverity(input("Transactions I didn't make: £95, £240 and £410 at an online casino.", fraud)).severity).toBe('critical');
    expect(decideSeverity(input("Three payments of $500 each went out at 2am to a name I don't recognise.", fraud)).severity).toBe('critical');
    expect(decideSeverity(input("Someone tried to make a £500 payment with my card, I didn't authorise it, and it was blocked.", fraud)).severity).toBe('high');
  });

  it('reads money the bank holds in error as money lost: short, overcharged, swallowed', () => {
    for (const text of ['The cash machine paid out £200 but my account shows £300, so I am £100 short.', '扫码付款被重复扣了1260元，商家只收到一笔，到现在没退', 'ATM食咗我$2,000，到而家都未退']) {
      expect(decideSeverity(input(text, { category: 'transfers_payments', modelSeverity: null })).severity).toBe('high');
    }
    // A fee named with its amount is a fee complaint, not money lost.
    expect(decideSeverity(input('The annual fee of £95 is too high for what you offer.', { category: 'fees_pricing', modelSeverity: null })).severity).toBe('low');
  });

  it('keeps the rules alone without a severity head (an older model)', () => {
    expect(decideSeverity(input('The teller was rude.', { modelSeverity: null })).severity).toBe('low');
  });
});

describe('a possible complaint (held in triage, not taken as one)', () => {
  it('gets the severity it has as a complaint, and the reason says so', () => {
    const text = 'My 82-year-old mother was sold a bond she did not understand, is that allowed?';
    const asInquiry = decideSeverity(input(text, { kind: 'inquiry', category: 'misselling_disclosure' }));
    const asPossible = decideSeverity(input(text, { kind: 'inquiry', category: 'misselling_disclosure', possibleComplaint: true }));
    const asComplaint = decideSeverity(input(text, { kind: 'complaint', category: 'misselling_disclosure' }));
    expect(asPossible.severity).toBe(asComplaint.severity);
    expect(asPossible.severity).toBe('medium');
    expect(asInquiry.severity).not.toBe(asPossible.severity);
    expect(asPossible.reason).toMatch(/read as the complaint it may be/);
    expect(asComplaint.reason).not.toMatch(/may be/);
  });

  it('does not count threat words, which in a message not taken as a complaint are a mention in passing', () => {
    const text = 'The court ordered the funds released, when will they arrive?';
    const threat = { kind: 'inquiry' as const, category: 'transfers_payments' as const, threatCues: ['court'] };
    const possible = decideSeverity(input(text, { ...threat, possibleComplaint: true }));
    const complaint = decideSeverity(input(text, { ...threat, kind: 'complaint' }));
    expect(possible.reason).not.toMatch(/threatens/);
    expect(complaint.reason).toMatch(/threatens/);
  });

  it('changes nothing for a message already taken as a complaint', () => {
    const text = 'Someone took £900 from my account';
    const over = { category: 'fraud_security' as const, fraudWording: true };
    expect(decideSeverity(input(text, { ...over, possibleComplaint: true }))).toEqual(decideSeverity(input(text, over)));
  });
});
