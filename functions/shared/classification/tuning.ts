/**
 * The classifier's weights and thresholds, named, each with why it has its value. They are chosen on the
 * cross-validation folds only (scripts/eval-classifier.ts; never on the locked fold) and the history of
 * each choice is in model/README.md. The decisions read them from here; the evaluation may override them.
 */

/** Characters from which a message counts as a long written account (CFPB-style narrative). */
export const LONG_ACCOUNT_CHARS = 500;

/**
 * Log-odds added to a kind by a rule whose cue decides it outright ("formal complaint", 投诉, a stated
 * threat to go to the regulator, asking how to complain): larger than any spread the kind head produces
 * (its log-odds stay within about ±8), so the rule wins and its cue is named in the reasons.
 */
export const DECIDES = 12;

/**
 * Log-odds added by a rule for a kind the training sources have no labelled rows for (English praise,
 * suggestions): the model cannot weigh them, so the cue alone decides, above even an explicit complaint cue
 * (the rules only fire when no complaint cue is present).
 */
export const DECIDES_UNMODELLED = 100;

/** Category decision: how much the lexicon's cues count, the fraud prior and the fine-label head. */
export const CATEGORY_TUNING = {
  /** Cue log-odds multiplier for short messages: a cue in a short message is usually its topic. */
  shortCueWeight: 1.5,
  /** The same for long accounts, which mention many topics in passing. */
  longCueWeight: 0.3,
  /** Log-odds in favour of fraud_security: missing a fraud report costs far more than a second look. */
  fraudPrior: 1.25,
  /**
   * The same for Chinese messages, whose public training rows (forum comments, FAQ questions) hold few fraud
   * reports as customers tell them to their bank.
   */
  fraudPriorZh: 3,
  /**
   * What the English prior rises to for a message in a customer's register (`REGISTER_TUNING`): the public
   * prior was chosen for the public sets' mix, where CFPB's identity-theft accounts cost precision; a customer
   * telling the bank of a fraud is the report the prior exists for. Five folds, 2 / 3 / 4 → written English
   * fraud found 351 → 355 / 361 / 367 of 441, English messages wrongly filed as fraud 77 → 81 / 92 / 106,
   * written English category 0.750 → 0.752 / 0.750 / 0.750, public figures unchanged: 3, as for Chinese.
   *
   * 3 → 6 (2026-12-07, evening, with `fraudOtherKindsFrom`): five folds, 3 / 4 / 5 / 6 / 8 → written English
   * fraud found 377 / 382 / 387 / 395 / 401 of 441, English messages wrongly filed as fraud 111 / 128 / 136 /
   * 151 / 192, written category 0.7977 / 0.7967 / 0.7965 / 0.7962 / 0.7924, CFPB category 0.578 → 0.580 from 4
   * (its accounts that read like a customer's), every other public figure unchanged. 6: English fraud found
   * 0.855 → 0.896 for 0.0015 of written category; a fraud report missed costs more than a second look. A
   * phrase naming another category beyond doubt keeps the public prior (decide-category.ts): at 6 without
   * that, "your online banking has been down all day and I missed an urgent payment" was filed as fraud. With
   * it, 3 / 6 → English fraud found 375 / 392, wrongly filed 109 / 145, written category 0.7977 / 0.7967.
   */
  fraudPriorCustomer: 6,
  /** How much the English fine-label head's log-probabilities count (1: as much as the category head). */
  fineWeight: 1,
  /** No category's fine-head probability counts as less than this, so the lexicon's cues can still lift it. */
  fineFloor: 1e-2,
  /**
   * How much the long-account TF-IDF head's log-probabilities count, for English texts of `longHeadMinChars`+.
   * Swept on the five folds (CFPB category 0.547 without it; 0.5: 0.564, 1: 0.572, 1.5: 0.592, 2: 0.594,
   * 3: 0.591, 5: 0.587; every other source figure flat or up by a row or two).
   */
  longHeadWeight: 2,
  /** The shortest English text the long-account head reads (it is trained on texts this long). */
  longHeadMinChars: 200,
  /** Its probability floor, as `fineFloor`. */
  longHeadFloor: 1e-2,
  /**
   * A complaint filed under fraud_security with no fraud cue keeps it only when the fraud probability is at
   * least this: below it the prior, not the text, put it there.
   */
  fraudPriorOnlyBelow: 0.5,
  /**
   * A suggestion or praise filed under fraud_security with no fraud cue keeps it only when the fraud probability
   * is at least this. The rule once sent every such message to its next category, when only the prior put
   * them there; since the customer category head, it also moved what the head read as fraud beyond doubt
   * ("You blocked a transfer a man on Instagram had pushed me towards… thank you", a button to freeze a card:
   * both fraud_security by the labelling policy). Five folds, always / 0.99 / 0.97 / 0.9 / 0.5 → written
   * category 0.7927 / 0.7974 / 0.7969 / 0.7972 / 0.7964, written fraud found English 364 / 373 / 374 / 376 /
   * 376 of 441, Chinese 523 / 547 / 547 / 547 / 548 of 587, filed as fraud wrongly English 95 / 108 / 112 /
   * 112 / 118, Chinese 63 / 65 / 67 / 67 / 69; no public figure moved. 0.9: the most fraud found before
   * precision falls further.
   */
  fraudOtherKindsFrom: 0.9,
  /**
   * The least log-odds (before the short-message weight) an English cue adds in a short message for a category
   * no short English training row has (waiting, service, resolution, mis-selling, debt collection).
   */
  shortUncoveredCueBoost: 5,
  /** Distinct cues of one category that count in a short Chinese message (each adds the category's boost). */
  zhMaxCueHits: 2,
  /**
   * How much the customer category head's log-probabilities count: Chinese; English in the public register
   * (a customer's message: `customerWeightEnCustomer`); English accounts from `customerAccountChars`. Swept on the five folds with the written messages in them (Chinese
   * 0 / 1 / 3 / 5 / 8: written category 0.48 → 0.54 → 0.60 → 0.64 → 0.65, no public figure moves, the
   * public Chinese categories being weak keyword labels; short English 0 / 0.25 / 0.5 / 0.75 / 1: written
   * category up by 0.01–0.02 a step, BANKING77 category 0.965 → 0.962 and NLU++ 0.872 → 0.865 at 1; on long
   * English texts it only cost CFPB).
   */
  customerWeightZh: 8,
  customerWeightEn: 0.75,
  customerWeightEnLong: 0,
  /**
   * What `customerWeightEn` rises to for an English message under `customerAccountChars` wholly in a customer's
   * register (`REGISTER_TUNING`); texts in the public register keep `customerWeightEn` at every length.
   *
   * History: before the register head this weight (then `customerWeightEnMid`) applied to every English text
   * from 80 characters, longer than all but a sixth of BANKING77's app queries (median 47; NLU++ 49) and than
   * most customers' messages (median 105). Five folds (from 0.75, at 80 characters): 1.5 / 3 / 5 → written
   * English category 0.557 → 0.591 / 0.649 / 0.669, BANKING77 category 0.963 → 0.963 / 0.962 / 0.962; at 60
   * characters and 2: 0.637; at 100 and 3 / 6: 0.618 / 0.636; with rounds 6 and 7 and the 24,000-bucket head,
   * 3 / 5: 0.685 → 0.711, BANKING77 0.9638 → 0.9631, English messages wrongly filed as fraud 81 → 77.
   *
   * With the register head (counted from 0.5), short messages' weight rising to 2 / 3 / 5 / 8 → written English
   * category 0.731 → 0.737 / 0.744 / 0.750 / 0.754, BANKING77 0.9646 throughout, NLU++ 0.866 → 0.866 / 0.864 /
   * 0.864 / 0.864 (one row), CFPB unchanged; and the public register's texts of 80+ characters (BANKING77's
   * longer queries, CFPB's shorter accounts) at 0.75 instead of 5 → BANKING77 0.9628 → 0.9646, CFPB 0.577 →
   * 0.580. So 5 for the customer register, 0.75 for the public one, whatever the length.
   */
  customerWeightEnCustomer: 5,
  /**
   * From this length an English text is an account like CFPB's narratives (their tenth percentile is 311
   * characters, their median 857), and the customer category head counts `customerWeightEnLong`; below it, from
   * `longHeadMinChars`, a customer's longer message (the written English messages of 200+ characters are 200–300
   * long, mostly scams told step by step) keeps `customerWeightEnCustomer`. Five folds, English texts of 200+
   * characters, from 200 (the long head's start) to 300 / 400 / 500: written category 0.360 → 0.809 / 0.831 /
   * 0.831 of 89, written fraud found 23 → 55 / 57 / 57 of 65, CFPB category 0.591 → 0.587 / 0.583 / 0.583 of
   * 509 (a row is 0.002); the customer head at 1 or 2 on CFPB's accounts as well moved them by a few rows
   * either way and put 7–9 more of them under fraud: not taken.
   */
  customerAccountChars: 300,
  // (With the customer head in, a fraud prior of 1.5 gave five-fold fraud recall 0.928 → 0.933 at precision
  // 0.910 → 0.907, blind-weighted precision 0.832 → 0.829: recall bought with the precision the blind mix
  // lacks, as in 2026-12-05's sweep; not kept. model/README.md says what the locked fold showed of it.)
  /** Its probability floor, as `fineFloor`. */
  customerFloor: 1e-2,
  /**
   * A short Chinese complaint whose category has none of its cues takes a category it names by a cue only when
   * the model gives its own category less than this. The rule dates from before the customer heads; with them
   * (five folds, round 5 in), always / 0.95 / 0.9 / 0.7 / never → written category 0.731 / 0.767 / 0.767 /
   * 0.765 / 0.765, written Chinese fraud found 434 / 518 / 519 / 520 / 521 of 587, written messages wrongly
   * filed as fraud 144 / 145 / 145 / 145 / 147; public figures unchanged. Skipping the rule for fraud readings
   * alone gave 0.747 (written Chinese 0.793, against 0.823 at 0.95 with every category but digital banking and
   * fraud up). 0.95: the rule stays for readings the model is less sure of.
   */
  zhNamedTopicBelow: 0.95,
};

/** Kind decision thresholds and weights. */
export const KIND_TUNING = {
  /** A Chinese question is an inquiry when the opinion head is at least this sure it carries no opinion. */
  inquiryMinNone: 0.98,
  /** The same for a question with no opinion word and no kind cue, which needs less certainty. */
  inquiryMinNoneNoOpinionWords: 0.5,
  /**
   * Chinese opinions above this margin (positive minus negative log-odds) are praise, else complaints. Never
   * below 0: a negative margin is never praise.
   */
  zhPraiseMargin: 0,
  /** A Chinese question with no opinion word, kind cue or fault is an inquiry whatever the heads lean to. */
  zhPlainQuestionIsInquiry: true,
  /** How much of the Chinese margin comes from the negative / positive head (the rest from the opinion head). */
  zhSentimentMix: 0.6,
  /** Below this margin a Chinese "建议…" is advice to other readers, not a suggestion to the bank. */
  zhAdviceMargin: -2,
  /** An English statement reporting something not working: log-odds towards a complaint. */
  malfunctionStatement: 3,
  /**
   * An English why-question that says a fault persists or judges ("Why has my transfer still not arrived?"):
   * log-odds towards a complaint, twice a fault statement's, as the kind head reads every question as an inquiry.
   */
  whyComplaint: 6,
  /**
   * An English question that asks how something works, nothing stated as wrong (decide-kind.ts
   * `englishAsksRule`): log-odds towards an inquiry. Five folds (round 5 in), off / 2 / 3 / 4 → written kind
   * 0.8139 / 0.8145 / 0.8147 / 0.8139, NLU++ kind 0.891 / 0.900 / 0.900 / 0.900, BANKING77 kind 0.983
   * throughout, triage 0.991 / 0.060 → 0.990 / 0.062 (2, 3 and 4 alike).
   */
  asksInquiry: 3,
  /** An English complaint word (terrible, disappointed): log-odds towards a complaint. */
  complaintWord: 6,
  /** A long written account without praise is, in practice, a complaint: log-odds towards one. */
  longAccount: 3,
  /** A low rating (≤ 40 % of the scale) counts towards a complaint, a high one (≥ 80 %) towards praise. */
  lowRating: 1.5,
  highRating: 1,
  /**
   * How much the customer kind head's log-probabilities count, in Chinese and in English. Chinese costs CCF
   * kind (0.25: 0.901 → 0.899; 0.5: 0.884; 1: 0.861) for written kind 0.68 → 0.75 → 0.78 → 0.80 (with the
   * 12,000-bucket head and round 3: 0.25 / 0.5 / 1 → CCF 0.892 / 0.885 / 0.876, written kind 0.810 / 0.837 /
   * 0.850). English 0.5 lifted BANKING77 kind 0.971 → 0.986 (the head learned its plain questions); with the
   * 12,000-bucket head, 0.5 / 1 / 2 / 4 → written kind 0.776 / 0.793 / 0.810 / 0.823, BANKING77 kind 0.987 /
   * 0.992 / 0.994 / 0.994, written English praise read as praise 34 / 37 / 46 / 62 of 132, triage coverage
   * 0.990 / 0.991 / 0.990 / 0.989 (below the goal at 4). 1, not 2: at 2 the head's floor (up to 9 log-odds)
   * overrode the fault and money-lost rules of the error-class tests ("my transfer has been pending for 3
   * days" → inquiry; with the praise gap below, "… we lost £8,000" → praise). With the gap, at 1: written
   * kind 0.798, English praise 58 of 132, complaints read as praise unchanged, triage 0.990 / 0.074.
   */
  customerWeightZh: 0.25,
  customerWeightEn: 1,
  /**
   * What those rise to for a message wholly in a customer's register (`REGISTER_TUNING`): the weights above were
   * held down by the public sets (CCF kind, BANKING77 and NLU++), whose texts the register head tells apart.
   * Five folds, register counted from 0: Chinese 0.5 / 1 / 2 → written Chinese kind 0.838 → 0.876 / 0.885 /
   * 0.893, CCF kind 0.8955 → 0.8937 / 0.8920 / 0.8902, written Chinese complaints read as praise 23 → 25 / 32 /
   * 30. Counted from 0.5, CCF kind stays 0.8955. With the guard (decide-kind.ts `noPraiseFromRegisterAlone`)
   * at 1 / 2: written Chinese kind 0.873 / 0.877, complaints read as praise 21 / 18; with the weight kept where
   * the opinion rule decided by a rule of its own (a fault told: "手机银行转账失败，钱被扣了没到账" read as an
   * inquiry at 2), 0.866, 19. English without the guard, 1.5 / 2 / 3 → written English kind 0.796 → 0.835 /
   * 0.852 / 0.866, but English complaints read as praise 13 → 15 / 18 / 23 ("The man at the counter was
   * condescending and ignored me for ten minutes" → praise); with it, 0.819 / 0.830 / 0.835, complaints read
   * as praise 13, English suggestions read as such 192 → 223 / 225 / 234 of 318, complaints read as
   * suggestions 6 → 7 / 8 / 8, NLU++ kind 0.900 throughout (0.898 at 2). Chinese 2, English 3.
   */
  customerWeightZhCustomer: 2,
  customerWeightEnCustomer: 3,
  /**
   * The English kind head never saw praise (no English public source has any), so its praise score is lifted
   * to within this many log-odds of its complaint score. Five folds (customer weight 2), from off: 0 / 1 / 2 / 3 → written English
   * praise read as praise 46 → 82 / 78 / 73 / 67 of 132, written complaints read as praise 5 → 9 / 7 / 5 / 5,
   * written kind 0.810 → 0.818 / 0.817 / 0.816 / 0.815, triage 0.990 / 0.077 → 0.990 / 0.076; nothing else
   * moved by more than a row: 2, the most praise for no more complaints read as praise.
   */
  englishPraiseGap: 2,
  /**
   * The same lift for English suggestions, to within this many log-odds of the higher of the complaint and
   * inquiry scores: without it the suggestion cues alone found them (52 of 318 written English suggestions in
   * the five folds; the customer kind head knows suggestions, but its log-probabilities could not climb the
   * kind head's). Five folds, 0 / 1 / 2 / 3 → English suggestions read as such 251 / 232 / 192 / 159, written
   * English complaints read as suggestions 1 → 19 / 11 / 6 / 4, written kind 0.796 → 0.826 / 0.824 / 0.819 /
   * 0.813, BANKING77 kind 0.982 → 0.978 / 0.980 / 0.981 / 0.981, NLU++ and CCF unchanged, triage 0.990 /
   * 0.060 → 0.990 / 0.058 (before refitting). 2, as for praise: most of the gain for few complaints lost. Lifting
   * praise the same way (from the higher of complaint and inquiry) read 36 more English praise lines as praise,
   * but 10 more complaints as praise and cost NLU++ kind 0.900 → 0.897: not taken.
   */
  englishSuggestionGap: 2,
  /** Its probability floor. */
  customerFloor: 1e-2,
  /**
   * Praise is read as a complaint when the customer kind head gives a complaint at least this probability.
   * Swept on the five folds: with the first 2,152 written messages, off / 0.8 / 0.65 / 0.5 → written
   * complaints read as praise 30 / 20 / 13 / 10, CCF kind 0.901 / 0.888 / 0.888 / 0.889; with all 4,152
   * (CCF counting 2 in the head), off / 0.7 / 0.5 → 64 / 35 / 29 of 2,100, CCF kind 0.889 / 0.878 / 0.881;
   * swept again with round 3 (5,112), 0.3 / 0.4 / 0.5 / 0.6 / 0.7 → 20 / 24 / 30 / 36 / 44 of 2,615, CCF kind
   * 0.871 / 0.878 / 0.889 / 0.890 / 0.897: the same trade, kept at 0.5. Swept again with the 12,000-bucket
   * customer heads, 0.4 / 0.5 / 0.6 / 0.7 → 18 / 21 / 27 / 28 written complaints read as praise, CCF kind
   * 0.887 / 0.892 / 0.896 / 0.902, Chinese written praise read as praise 164 / 168 / 175 / 178 of 265; the
   * complaints read as praise and not triaged stay 6 (all sources) at 0.5 and at 0.7, triage 0.990 either
   * way: the triage now holds the complaints the veto lets through, so 0.7.
   *
   * CCF praise the head reads as a complaint goes to a handler as a complaint: a look too many; a complaint
   * read as praise goes to triage when its complaint probability or its opinion says so.
   */
  praiseVeto: 0.2,
  // (Since the register head: the veto applies to Chinese messages in a customer's register only, CCF's forum
  // posts being what the opinion heads were trained on. Five folds: CCF kind 0.8955 → 0.9059 (9 more praise
  // posts read as praise, 3 more complaints as praise), written kind and complaints read as praise unchanged
  // (0.852; 13 English, 19 Chinese); the triage refitted to cover those three, load 0.065 → 0.071. Off, or at
  // 0.9 for the public register, alike.)
  //
  // 0.7 → 0.2 (2026-12-07, evening): with CCF's posts out of the veto's reach, its threshold trades written
  // praise read as praise against written complaints read as praise, nothing else (no public figure moves:
  // the English public sets have no praise). Five folds, 0.7 / 0.5 / 0.3 / 0.2 / 0.15 / 0.1 for English →
  // complaints read as praise 13 / 10 / 9 / 6 / 5 / 4, praise read as such 231 / 228 / 224 / 218 / 213 / 203 of
  // 440; for Chinese 0.7 / 0.5 / 0.3 / 0.2 → 19 / 16 / 9 / 5, praise 223 / 217 / 209 / 198 of 356; written kind
  // 0.8520 → 0.8493 at 0.2 for both, complaints caught 0.993 and triage load 0.071 → 0.070. A complaint read as
  // praise has no clock; praise read as a complaint costs a handler a look. 0.2 is where a further complaint
  // kept from praise would cost five praise messages or more.
};

/** Severity decision. */
export const SEVERITY_TUNING = {
  /**
   * The severity model raises a complaint to the highest level it gives at least this probability of "this
   * severity or more". Swept on the five folds (written messages' severity floor reached: rules alone 0.41;
   * 0.5: 0.69; 0.45: 0.71; 0.4: 0.73), with the written complaints set above their floor 0.14 / 0.16 / 0.17:
   * 0.45, a little under the median, as a severity too low costs the bank more than one too high.
   */
  modelFloor: 0.45,
};

/**
 * The register head (customer's message or public source's text) weighs the customer heads. Its probability
 * counts from `from`: out of fold, the public sets' texts average 0.03–0.13 (BANKING77 0.03, NLU++ 0.14, CCF
 * 0.07) and the written messages 0.93. From 0 the few CCF forum posts that read like customers' messages
 * cost CCF kind two rows (0.8955 → 0.8920); from 0.5 none. With every weight of this round in place,
 * 0.3 / 0.5 / 0.7 / 0.85 → CCF kind 0.904 / 0.906 / 0.906 / 0.906, written kind 0.854 / 0.852 / 0.852 /
 * 0.849, written category 0.794 / 0.792 / 0.791 / 0.789, written Chinese complaints read as praise 19 / 19 /
 * 19 / 23, BANKING77 category 0.9645 / 0.9646 / 0.9646 / 0.9647.
 */
export const REGISTER_TUNING = {
  from: 0.5,
};
