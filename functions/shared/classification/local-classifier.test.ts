import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CATEGORIES, Classification, SEVERITIES } from '../../../schemas/feedback.ts';
import { classifyText, createDetailedClassifier, createLocalClassifier, createTextClassifier, DEFAULT_TRIAGE_THRESHOLD, detectLanguage, triageReason } from './local-classifier.ts';
import { unpackModel, type PackedModel } from './model.ts';
import modelData from './model/model.json' with { type: 'json' };

const rank = (s: string): number => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);

describe('detectLanguage', () => {
  it('detects English, Simplified and Traditional Chinese', () => {
    expect(detectLanguage('Why was I charged twice for one coffee?')).toEqual({ language: 'en', detected: true });
    expect(detectLanguage('我的信用卡被盗刷了')).toMatchObject({ language: 'zh', script: 'Hans', detected: true });
    expect(detectLanguage('我的信用卡被盜刷了，銀行電話一直打不通')).toMatchObject({ language: 'zh', script: 'Hant', detected: true });
  });

  it('treats Chinese with a few English words (APP, ATM) as Chinese', () => {
    expect(detectLanguage('手机银行APP登录不上，ATM也取不了钱').language).toBe('zh');
  });

  it('keeps the language a channel declares, reduced to its base', () => {
    expect(detectLanguage('hello', 'zh-TW')).toEqual({ language: 'zh', script: 'Hant', detected: false });
    expect(detectLanguage('bonjour', 'fr')).toMatchObject({ language: 'fr', detected: false });
  });
});

describe('classifyText: category and kind', () => {
  it.each([
    ['Someone used my card in another country, I did not make these payments', 'en', 'fraud_security'],
    ['我的银行卡昨晚被盗刷了三笔，我人在家里卡也在身上', 'zh', 'fraud_security'],
    ['我的銀行卡昨晚被盜刷了三筆，卡一直在我身上', 'zh', 'fraud_security'],
    ['Why did you charge me a fee for withdrawing cash at the ATM abroad?', 'en', 'fees_pricing'],
    ['My transfer to my landlord has been pending for three days and has not arrived', 'en', 'transfers_payments'],
    ['The debt collector keeps calling my workplace about a debt that is not mine', 'en', 'debt_collection'],
  ])('%s → %s / %s', (text, language, category) => {
    // Act
    const c = classifyText({ text });
    // Assess
    expect(c.language).toBe(language);
    expect(c.category).toBe(category);
  });

  it.each([
    ['I want to complain: the branch staff were rude and dismissive when I asked for help', 'service_attitude'],
    ['The man at the counter was condescending and ignored me for ten minutes', 'service_attitude'],
    ['I waited on hold for over an hour and nobody answered', 'waiting_time'],
    ['Nobody picks up the phone at your call centre, I have tried all morning', 'waiting_time'],
    ['your online banking has been down all day and I missed an urgent payment', 'digital_banking'],
    ['The app keeps crashing whenever I open my statements', 'digital_banking'],
  ])('files English service problems the training sources barely cover: %s → %s', (text, category) => {
    // Act
    const c = classifyText({ text });
    // Assess
    expect(c.category).toBe(category);
    expect(c.kind).toBe('complaint');
    expect(c.reasons.find((r) => r.startsWith('category'))).toMatch(/cues/);
  });

  it('reads a statement of something not working as a complaint, and a plain question about it as an inquiry', () => {
    // Prepare: a why-question that says the fault keeps happening complains (the labelling policy: "a
    // question that complains is a complaint"); one that asks how the app behaves does not.
    const statement = 'The app logs me out every time I switch to another screen.';
    const question = 'Does the app log me out automatically after a few minutes of inactivity?';
    // Act
    const reported = classifyText({ text: statement });
    const asked = classifyText({ text: question });
    // Assess
    expect(reported.kind).toBe('complaint');
    expect(reported.category).toBe('digital_banking');
    expect(reported.reasons.find((r) => r.startsWith('kind'))).toContain('logs me out');
    expect(asked.kind).toBe('inquiry');
    expect(classifyText({ text: 'Why does the app log me out every time I switch to another screen?' }).kind).toBe('complaint');
    expect(classifyText({ text: 'Is the contactless payment not working on weekends?' }).kind).toBe('inquiry');
  });

  it('keeps how-to questions as inquiries', () => {
    for (const text of ['How do I activate my new card?', 'Can I top up my account with a cheque?', '信用卡怎么激活？']) {
      expect(classifyText({ text }).kind, text).toBe('inquiry');
    }
  });

  it('recognises explicit complaints in English and Chinese', () => {
    expect(classifyText({ text: 'I want to make a formal complaint: your staff were rude and nothing has been done for three weeks.' }).kind).toBe('complaint');
    expect(classifyText({ text: '我要投诉你们网点的工作人员，态度恶劣，问题拖了一个月没人处理！' }).kind).toBe('complaint');
  });

  it('recognises praise and suggestions', () => {
    expect(classifyText({ text: 'Thank you so much, the branch staff were wonderful and very helpful today.' }).kind).toBe('praise');
    expect(classifyText({ text: '客服小姐姐很耐心，问题很快就解决了，点赞！' }).kind).toBe('praise');
    expect(classifyText({ text: 'It would be great if the app could show pending card payments. Please add it.' }).kind).toBe('suggestion');
    expect(classifyText({ text: '建议手机银行增加一个夜间模式，希望能早日上线' }).kind).toBe('suggestion');
  });

  it('explains its decisions with the cues it found', () => {
    const c = classifyText({ text: '我的银行卡被盗刷了' });
    expect(c.reasons.some((r) => r.includes('盗刷'))).toBe(true);
    expect(c.reasons.some((r) => r.startsWith('language zh (Simplified'))).toBe(true);
    const t = classifyText({ text: '我的銀行卡被盜刷了' });
    expect(t.reasons.some((r) => r.startsWith('language zh (Traditional'))).toBe(true);
  });
});

describe('classifyText: severity rules', () => {
  it('rates fraud and lost or stolen cards high or critical', () => {
    for (const text of ['My card was stolen yesterday and there are payments I do not recognise', '信用卡丢了，还被人盗刷了两千块']) {
      expect(rank(classifyText({ text }).severity), text).toBeGreaterThanOrEqual(rank('high'));
    }
  });

  it('raises severity when money was lost', () => {
    const base = classifyText({ text: 'The app keeps logging me out and it is annoying, this is a complaint.' });
    const lost = classifyText({ text: 'The app keeps logging me out and I lost money because a payment failed, this is a complaint.' });
    expect(rank(lost.severity)).toBeGreaterThan(rank(base.severity));
    expect(rank(lost.severity)).toBeGreaterThanOrEqual(rank('high'));
  });

  it('raises severity for a vulnerable customer and for threats to go to the regulator or press', () => {
    const text = 'I am complaining because my transfer failed twice and nobody called me back.';
    const base = classifyText({ text });
    const vulnerable = classifyText({ text: `${text} I am 84 and my husband is in hospital.` });
    const threat = classifyText({ text: `${text} If this is not fixed I will go to the regulator and the newspaper.` });
    expect(rank(vulnerable.severity)).toBeGreaterThan(rank(base.severity));
    expect(rank(threat.severity)).toBeGreaterThan(rank(base.severity));
    const zhBase = classifyText({ text: '我要投诉，信用卡被停了三次都说不出原因' });
    const zhThreat = classifyText({ text: '我要投诉，信用卡被停了三次都说不出原因，再不处理我就向银保监投诉并找媒体曝光' });
    expect(rank(zhThreat.severity)).toBeGreaterThan(rank(zhBase.severity));
    expect(zhThreat.reasons.some((r) => r.includes('regulator'))).toBe(true);
    // Money not arrived after a failed transfer: the severity model reads it as money out of pocket (high)
    // with or without the threat, so the threat's raise does not show above it (a known limit: the raise
    // applies to the rules' level, the model's floor after it).
    const zhMoneyThreat = classifyText({ text: '我要投诉，转账失败三次钱还没到账，再不处理我就向银保监投诉并找媒体曝光' });
    expect(rank(zhMoneyThreat.severity)).toBeGreaterThanOrEqual(rank('high'));
    expect(zhMoneyThreat.reasons.some((r) => r.includes('regulator'))).toBe(true);
  });

  it('keeps a how-to question low', () => {
    expect(classifyText({ text: 'What currencies can I hold in my account?' }).severity).toBe('low');
  });

  it('gives a message held in triage as a possible complaint the severity it has as one, and says so', () => {
    // Prepare: questions about money that left the account and is missing. Each is a complaint put as a question
    // or an inquiry the model is unsure of; those not taken as complaints are triaged, and the handler who settles
    // one as a complaint opens it at this severity. (Which of them the model takes as a complaint moves with
    // retraining, so the assertion holds for every one held in triage, and at least one is.)
    const texts = ['I paid £1,420 council tax from my account, where is it?', 'Where has the £1,420 council tax payment from my account gone?', 'Where is the £500 I moved to my savings this morning?'];
    // Act
    const held = texts.map((text) => classifyText({ text })).filter((c) => c.kind !== 'complaint' && triageReason(c, { threshold: DEFAULT_TRIAGE_THRESHOLD }) !== undefined);
    // Assess
    expect(held.length).toBeGreaterThan(0);
    for (const c of held) {
      expect(rank(c.severity)).toBeGreaterThanOrEqual(rank('medium'));
      expect(c.reasons.find((r) => r.startsWith('severity'))).toMatch(/read as the complaint it may be/);
    }
  });

  it('reads a message as a possible complaint for severity exactly when triage holds it (not taken as a complaint)', () => {
    const texts = ['What currencies can I hold in my account?', 'Thanks for nothing.', 'Is there a fee for using my card abroad?', 'Why has £2,000 been taken from my savings without my say-so?', '请问信用卡年费怎么收取？', 'Great app, thank you!', 'My council tax payment of £1,420 is missing from my account, can you check where it went?', 'Where has the £1,420 council tax payment from my account gone?'];
    for (const text of texts) {
      const c = classifyText({ text });
      const held = c.kind !== 'complaint' && triageReason(c, { threshold: DEFAULT_TRIAGE_THRESHOLD }) !== undefined;
      expect(c.reasons.some((r) => r.includes('read as the complaint it may be')), text).toBe(held);
    }
  });
});

describe('classifyText: contract', () => {
  it('fills JR/T 0169 codes from the channel and category', () => {
    const c = classifyText({ text: 'My card was stolen', channel: 'hotline' });
    expect(c.codes.jrt0169.channel).toContain('电话');
    expect(c.codes.jrt0169.reason).toContain('资金安全');
  });

  it('reads a low rating as a complaint signal', () => {
    const text = 'The transfer took two days.';
    const low = classifyText({ text, rating: 1 });
    expect(low.kind).toBe('complaint');
  });

  it('is deterministic and always returns a valid classification', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(fc.constantFrom('我的', '卡', '被盗刷', '投诉', 'card', 'stolen', 'fee', '?', '！', '謝謝', '[CARD]', 'XXXX', ' '), { maxLength: 30 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const a = classifyText({ text: t });
        const b = classifyText({ text: t });
        expect(b).toEqual(a);
        expect(Classification.safeParse(a).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('classifies a 5,000-character narrative quickly', () => {
    const text = 'I disputed the account on my credit report with the bureau many times and XXXX still reports it. '.repeat(52).slice(0, 5000);
    const start = performance.now();
    const c = classifyText({ text });
    expect(performance.now() - start).toBeLessThan(50);
    expect(c.kind).toBe('complaint');
  });

  it('serves the classifier port with the same answer', async () => {
    const input = { text: 'Why was my card declined at the supermarket?', channel: 'mobile' as const };
    await expect(createLocalClassifier().classify(input)).resolves.toEqual(classifyText(input));
  });
});

describe('classifyText: fraud with money lost', () => {
  it('is critical when a fraud complaint says the money is gone', () => {
    const c = classifyText({ text: 'This is a complaint: my card was stolen and they emptied my account, I lost money I need for rent.' });
    expect(c.category).toBe('fraud_security');
    expect(c.severity).toBe('critical');
  });

  it.each([
    ['Someone stole my card and took 5000 yuan, call me now', '5000 yuan'],
    ['I did not make these payments, $1,200 was withdrawn from my account overnight', '$1,200 was withdrawn'],
    ['有人冒用我的卡，转走了2万块，我要投诉', '转走了2万块'],
  ])('is critical when a fraud complaint names an amount taken: %s', (text, amount) => {
    const c = classifyText({ text });
    expect(c.category).toBe('fraud_security');
    expect(c.severity).toBe('critical');
    expect(c.reasons.join(' ')).toContain(amount);
  });

  it("does not read the customer's own spending or withdrawal as money lost", () => {
    for (const text of ['I lost my card. I spent 40 pounds yesterday at Tesco, that was me.', 'I withdrew 200 pounds and then my card was stolen']) {
      const c = classifyText({ text });
      expect(c.category).toBe('fraud_security');
      // High by the fraud rule; the rules never read the customer's own amount as money lost (the severity
      // model, which cannot tell whose spending an amount was, may still read the message as critical).
      expect(['high', 'critical']).toContain(c.severity);
      expect(c.reasons.join(' ')).toContain('lost/stolen card');
      expect(c.reasons.join(' ')).not.toContain('money lost');
    }
  });

  it('reads adversarial runs of digits in linear time (a guard against backtracking, not a speed figure)', () => {
    for (const text of [`my card was stolen ${'1,'.repeat(32_000)}`, `卡丢失了 ${'1,'.repeat(32_000)}a元`, `stolen ${'1.'.repeat(32_000)} dollars`]) {
      const started = Date.now();
      classifyText({ text });
      expect(Date.now() - started).toBeLessThan(3000);
    }
  });

  it('does not read an amount as money lost outside fraud, or without a taking', () => {
    const fee = classifyText({ text: 'I am complaining because you charged me a $35 overdraft fee again.' });
    expect(fee.category).not.toBe('fraud_security');
    expect(fee.severity).not.toBe('high');
    expect(fee.reasons.join(' ')).not.toContain('money lost');
    const report = classifyText({ text: 'I lost my card yesterday, it has about 200 dollars of credit on it, please block it.' });
    expect(report.category).toBe('fraud_security');
    expect(report.reasons.join(' ')).not.toContain('money lost');
  });
});

describe('classifyText: statements a handler reads one way', () => {
  it.each([
    ["If this isn't resolved by Friday I'm taking it to the FOS and the newspapers.", 'complaint'],
    ["I'm going to the ombudsman.", 'complaint'],
    ['How do I contact the ombudsman?', 'inquiry'],
    ['我要向国家金融监督管理总局反映你们乱收费', 'complaint'],
  ])('reads a threat to go to a regulator, court or the press as a complaint, and asking how as a question: %s', (text, kind) => {
    const c = classifyText({ text });
    expect(c.kind).toBe(kind);
    if (kind === 'complaint') expect(c.severity).not.toBe('low');
  });

  it.each([
    ['I would like to register a lasting power of attorney for my mother on her account.'],
    ['The court ordered the funds released, please process the payment.'],
    ['我的余额是3150元'],
  ])('does not read a threat word in passing as a threat: %s', (text) => {
    const c = classifyText({ text });
    expect(c.kind).not.toBe('complaint');
    expect(c.reasons.join(' ')).not.toContain('threatens');
  });

  it('reads a Chinese fault report as a complaint about its topic even with a word like 成功 in it', () => {
    const c = classifyText({ text: '跨行转账5000元显示成功但对方一直没到账，已经三天了' });
    expect([c.kind, c.category]).toEqual(['complaint', 'transfers_payments']);
    expect(classifyText({ text: '申請咗退款兩個禮拜，到而家都未處理好' }).kind).toBe('complaint');
  });

  it('gives a Chinese complaint the category it names', () => {
    const c = classifyText({ text: '分行職員態度極差' });
    expect([c.kind, c.category]).toEqual(['complaint', 'service_attitude']);
    expect(c.reasons.join(' ')).toContain('态度');
  });

  it.each([
    ['App成日閃退，用唔到', 'complaint', 'digital_banking'],
    ["URGENT: I can't access my salary and my rent is due tomorrow!!!", 'complaint', null],
    ["I'm not happy with how I was spoken to on the phone yesterday.", 'complaint', 'service_attitude'],
    ['希望你们的信用卡能支持Apple Pay', 'suggestion', null],
  ])('reads %s as %s', (text, kind, category) => {
    const c = classifyText({ text });
    expect(c.kind).toBe(kind);
    if (category) expect(c.category).toBe(category);
  });

  it('does not file a vague complaint with no fraud cue as fraud (the fraud prior alone put it there)', () => {
    const c = classifyText({ text: 'Worst bank ever' });
    expect(c.kind).toBe('complaint');
    expect(c.category).not.toBe('fraud_security');
    // A complaint that does say money was taken stays fraud.
    expect(classifyText({ text: 'Someone took money from my account and you did nothing' }).category).toBe('fraud_security');
  });

  it('reads thanks as praise and a feature request as a suggestion', () => {
    expect(classifyText({ text: 'Thanks for the fast international transfer, arrived in 10 minutes!' }).kind).toBe('praise');
    expect(classifyText({ text: 'Your staff were really helpful today, cheers' }).kind).toBe('praise');
    expect(classifyText({ text: 'Can you add dark mode to the app please?' }).kind).toBe('suggestion');
  });
});

describe('model heads', () => {
  it('maps every fine English label onto a category and ships the optional heads', () => {
    // Prepare
    const stored = unpackModel(modelData as unknown as PackedModel);
    const fine = stored.heads.category_en_fine;
    // Assess
    expect(fine).toBeDefined();
    const categories = new Set(fine!.labels.map((l) => l.split('/')[0]));
    for (const c of categories) expect(CATEGORIES).toContain(c);
    // BANKING77's intents are labels of their own, so the head has many more labels than categories.
    expect(fine!.labels.length).toBeGreaterThan(CATEGORIES.length * 5);
    expect(stored.heads.sentiment_zh?.labels).toEqual(['negative', 'positive']);
  });

  it('still classifies with a model that lacks the optional heads, and uses them when present', () => {
    // Prepare
    const stored = unpackModel(modelData as unknown as PackedModel);
    const { category_en_fine: _fine, sentiment_zh: _sentiment, ...required } = stored.heads;
    const withoutOptional = createDetailedClassifier({ ...stored, heads: required });
    const full = createDetailedClassifier(stored);
    // A vague question, so that the category probabilities are not saturated and the fine head visibly moves
    // them (the calibrated confidence maps nearby values to one level).
    const text = 'Can I use it abroad?';
    // Act
    const a = withoutOptional({ text });
    const b = full({ text });
    // Assess
    expect(CATEGORIES).toContain(a.classification.category);
    expect(CATEGORIES).toContain(b.classification.category);
    expect([...a.categoryEvidence.probabilities]).not.toEqual([...b.categoryEvidence.probabilities]);
  });

  it('weighs the customer heads by register: a message as customers write moves with the register head, an app query does not', () => {
    // Prepare
    const stored = unpackModel(modelData as unknown as PackedModel);
    const { register, ...rest } = stored.heads;
    expect(register?.labels).toEqual(['public', 'customer']);
    const without = createTextClassifier({ ...stored, heads: rest });
    const full = createTextClassifier(stored);
    const customer = 'Dark mode for the app would make night-time banking much easier on the eyes.';
    const query = 'How do I activate my new card?';
    // Act / Assess: the suggestion, in a customer's register, is read as one only with the customer heads'
    // raised weight; the BANKING77-style query reads the same either way.
    expect(full({ text: customer }).kind).toBe('suggestion');
    expect(full({ text: customer }).probabilities).not.toEqual(without({ text: customer }).probabilities);
    expect(full({ text: query })).toEqual(without({ text: query }));
  });

  it.each([
    'My mum got a text about a parcel fee, clicked it and typed her card details in. Two days later there are payments to a shop in Lagos she has never heard of, 640 pounds in all. She is 79 and very upset. What happens now, and will she get it back?',
    'Got a WhatsApp from what I thought was my daughter saying she had a new number and needed 950 for a bill today. I sent it straight away from the app. She never sent anything. The number is dead now. Can the payment be stopped or recovered?',
  ])('reads a customer\'s 200–299-character scam story as fraud, with the customer category head (not the accounts\' heads alone): %s', (text) => {
    expect(text.length).toBeGreaterThanOrEqual(200);
    expect(text.length).toBeLessThan(300);
    expect(classifyText({ text }).category).toBe('fraud_security');
  });

  it('reads long English accounts with the TF-IDF head too, and leaves short messages to the other heads', () => {
    // Prepare
    const stored = unpackModel(modelData as unknown as PackedModel);
    const { category_en_long: long, category_en_long_idf: idf, ...rest } = stored.heads;
    expect(long?.labels).toEqual([...CATEGORIES]);
    expect(idf?.labels).toEqual(['idf']);
    const without = createTextClassifier({ ...stored, heads: rest });
    const full = createTextClassifier(stored);
    const account =
      'A collection agency keeps calling me about a debt that is not mine. I have never had an account with the original ' +
      'creditor and I asked the collector to validate the debt in writing. They never sent any validation, they keep calling ' +
      'my work several times a day, and now they say they will sue me and report the debt to the credit bureaus.';
    const short = 'The collector keeps calling me about a debt.';
    // Act / Assess: the long account's category scores move with the head; the short message's do not.
    expect(full({ text: account }).category).toBe('debt_collection');
    expect(full({ text: account }).confidence).not.toBe(without({ text: account }).confidence);
    expect(full({ text: short })).toEqual(without({ text: short }));
    // An idf table that does not match the head's buckets is refused rather than read out of step.
    expect(() => createTextClassifier({ ...stored, heads: { ...rest, category_en_long: long! } })).toThrow(/category_en_long/);
  });

  it('rejects a fine label that does not start with a category', () => {
    const stored = unpackModel(modelData as unknown as PackedModel);
    const fine = stored.heads.category_en_fine!;
    const broken = { ...stored, heads: { ...stored.heads, category_en_fine: { ...fine, labels: ['no_such_category/x', ...fine.labels.slice(1)] } } };
    expect(() => createTextClassifier(broken)).toThrow(/category_en_fine/);
  });
});

describe('classifyText: reports of a fault and the fraud prior', () => {
  it('a Chinese statement reporting a failed transfer is a complaint, the question about it an inquiry', () => {
    expect(classifyText({ text: '手机银行转账失败，钱被扣了没到账' }).kind).toBe('complaint');
    expect(classifyText({ text: '手机银行转账一直显示处理中，已经三天了还没到账。' }).kind).toBe('complaint');
    expect(classifyText({ text: '转账失败了怎么办？' }).kind).toBe('inquiry');
  });

  it('a short Chinese line with an opinion word is an opinion, without one a query', () => {
    // Short lines without a question mark read like search queries ("信用卡挂失流程"), unless they judge something.
    expect(classifyText({ text: '信用卡挂失流程' }).kind).toBe('inquiry');
    expect(classifyText({ text: '这个APP真坑，别下载' }).kind).toBe('complaint');
  });

  it('a suggestion without any fraud cue is never filed under fraud_security', () => {
    const c = classifyText({ text: 'Could you add a way to export statements as CSV?' });
    expect(c.kind).toBe('suggestion');
    expect(c.category).not.toBe('fraud_security');
    expect(classifyText({ text: 'Someone used my card without permission, please add an option to freeze it.' }).category).toBe('fraud_security');
  });
});
