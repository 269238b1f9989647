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
   * The least log-odds (before the short-message weight) an English cue adds in a short message for a category
   * no short English training row has (waiting, service, resolution, mis-selling, debt collection).
   */
  shortUncoveredCueBoost: 5,
  /** Distinct cues of one category that count in a short Chinese message (each adds the category's boost). */
  zhMaxCueHits: 2,
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
  /** An English complaint word (terrible, disappointed): log-odds towards a complaint. */
  complaintWord: 6,
  /** A long written account without praise is, in practice, a complaint: log-odds towards one. */
  longAccount: 3,
  /** A low rating (≤ 40 % of the scale) counts towards a complaint, a high one (≥ 80 %) towards praise. */
  lowRating: 1.5,
  highRating: 1,
};
