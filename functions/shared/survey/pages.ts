/**
 * The survey's HTML pages: the rating form (`GET /survey/{token}`), and the answers to it: thank you
 * (200), already answered (409), expired (410), not found (404).
 *
 * Small and accessible on purpose: the customer opens the link on a phone, often from a chat app's
 * in-app browser. One page per answer, in the complaint's language with the right `lang`; a native form
 * (no JavaScript: it works where scripts are off, and there is nothing to load); a fieldset with a legend
 * around five labelled radio buttons, each label a 48-pixel target; errors named beside the field and
 * summarised at the top with links to it; no third-party assets (inline CSS, allowed by its hash in the
 * Content-Security-Policy, which forbids everything else). Every interpolated value is escaped.
 *
 * The token is in the URL, so pages are sent with `Referrer-Policy: no-referrer` and `Cache-Control:
 * no-store`; the form posts to its own URL (no `action`), so the token never appears in the markup.
 */
import { createHash } from 'node:crypto';
import type { FieldError } from '../errors.ts';
import type { HttpResult } from '../http.ts';
import { SURVEY_STRINGS, type SurveyLanguage, type SurveyStrings } from './messages.ts';

const STYLE = [
  'body{margin:0;font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;font-size:1.125rem;line-height:1.5;color:#1a1a1a;background:#fff}',
  'main{max-width:36rem;margin:0 auto;padding:1rem}',
  'h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}',
  '.bank{margin:0;color:#4a4a4a;font-size:1rem}',
  'fieldset{border:0;margin:1.5rem 0;padding:0}',
  'legend{font-weight:600;margin-bottom:.5rem;padding:0}',
  '.choice{display:flex;align-items:center;gap:.75rem;min-height:3rem;margin:.5rem 0;padding:.5rem .75rem;border:2px solid #767676;border-radius:.5rem;cursor:pointer}',
  '.choice input{width:1.5rem;height:1.5rem;margin:0;flex:none}',
  'label.field{display:block;font-weight:600;margin-top:1rem}',
  '.hint{margin:.25rem 0;color:#4a4a4a;font-size:1rem}',
  'textarea{box-sizing:border-box;width:100%;min-height:8rem;font:inherit;padding:.5rem;border:2px solid #767676;border-radius:.5rem}',
  'button{width:100%;min-height:3rem;margin-top:1.5rem;font:inherit;font-weight:600;color:#fff;background:#0b5394;border:0;border-radius:.5rem;cursor:pointer}',
  ':focus-visible{outline:3px solid #ffbf47;outline-offset:2px}',
  '.error{color:#b00020;font-weight:600;margin:.25rem 0}',
  '.summary{border:3px solid #b00020;border-radius:.5rem;padding:.5rem 1rem;margin:1rem 0}',
  '.summary a{color:#b00020}',
].join('');

/** The Content-Security-Policy: nothing but the inline style above, and a form posting back to its own origin. */
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside HTML content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** An HTML answer with the headers every survey page carries. */
function htmlPage(statusCode: number, strings: SurveyStrings, title: string, body: string): HttpResult {
  const html = [
    '<!doctype html>',
    `<html lang="${escapeHtml(strings.htmlLang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<p class="bank">${escapeHtml(strings.bank)}</p>`,
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    '</main>',
    '</body>',
    '</html>',
  ].join('\n');
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-language': strings.htmlLang,
      'content-security-policy': CSP,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    },
    body: html,
  };
}

/** The localized message for a field error, or undefined for a field the form does not have. */
function fieldMessage(strings: SurveyStrings, error: FieldError): string | undefined {
  if (error.field === 'score') return strings.scoreError;
  if (error.field === 'comment') return strings.commentTooLong;
  return undefined;
}

export interface SurveyFormOptions {
  /** Field errors from parseSurveyAnswer: the page is answered 400 and shows them. */
  errors?: FieldError[];
  /** What the customer sent, shown again. */
  values?: { score?: number; comment?: string };
}

/** The rating form, or the form again with its errors (400). */
export function surveyFormPage(language: SurveyLanguage, options: SurveyFormOptions = {}): HttpResult {
  const s = SURVEY_STRINGS[language];
  const messages = new Map<string, string>();
  for (const error of options.errors ?? []) {
    const message = fieldMessage(s, error);
    if (message && !messages.has(error.field)) messages.set(error.field, message);
  }
  if ((options.errors?.length ?? 0) > 0 && messages.size === 0) messages.set('score', s.scoreError);
  const scoreError = messages.get('score');
  const commentError = messages.get('comment');
  const anchors: Record<string, string> = { score: 'score-1', comment: 'comment' };
  const parts: string[] = [];
  if (messages.size > 0) {
    const items = [...messages].map(([field, message]) => `<li><a href="#${anchors[field]}">${escapeHtml(message)}</a></li>`).join('');
    parts.push(`<div class="summary" role="alert"><p>${escapeHtml(s.errorSummary)}</p><ul>${items}</ul></div>`);
  }
  parts.push(`<p>${escapeHtml(s.formIntro)}</p>`, '<form method="post" accept-charset="utf-8">');
  parts.push(`<fieldset${scoreError ? ' aria-describedby="score-error"' : ''}>`, `<legend>${escapeHtml(s.legend)}</legend>`);
  if (scoreError) parts.push(`<p class="error" id="score-error">${escapeHtml(scoreError)}</p>`);
  s.scores.forEach((label, i) => {
    const score = i + 1;
    const checked = options.values?.score === score ? ' checked' : '';
    // `required` on one radio makes the group required: the browser asks before anything is sent.
    parts.push(`<label class="choice" for="score-${score}"><input type="radio" id="score-${score}" name="score" value="${score}"${i === 0 ? ' required' : ''}${checked}><span>${escapeHtml(label)}</span></label>`);
  });
  parts.push('</fieldset>');
  const describedBy = ['comment-hint', ...(commentError ? ['comment-error'] : [])].join(' ');
  parts.push(`<label class="field" for="comment">${escapeHtml(s.commentLabel)}</label>`, `<p class="hint" id="comment-hint">${escapeHtml(s.commentHint)}</p>`);
  if (commentError) parts.push(`<p class="error" id="comment-error">${escapeHtml(commentError)}</p>`);
  parts.push(
    `<textarea id="comment" name="comment" rows="5" maxlength="2000" aria-describedby="${describedBy}"${commentError ? ' aria-invalid="true"' : ''}>${escapeHtml(options.values?.comment ?? '')}</textarea>`,
    `<button type="submit">${escapeHtml(s.submit)}</button>`,
    '</form>',
  );
  return htmlPage(messages.size > 0 ? 400 : 200, s, s.formTitle, parts.join('\n'));
}

/** After a recorded answer (200). */
export function surveyThanksPage(language: SurveyLanguage): HttpResult {
  const s = SURVEY_STRINGS[language];
  return htmlPage(200, s, s.thanksTitle, `<p>${escapeHtml(s.thanksText)}</p>`);
}

/** This resolution has been rated already (409). */
export function surveyAnsweredPage(language: SurveyLanguage): HttpResult {
  const s = SURVEY_STRINGS[language];
  return htmlPage(409, s, s.answeredTitle, `<p>${escapeHtml(s.answeredText)}</p>`);
}

/** The link has expired, or its resolution was reopened (410). */
export function surveyExpiredPage(language: SurveyLanguage): HttpResult {
  const s = SURVEY_STRINGS[language];
  return htmlPage(410, s, s.expiredTitle, `<p>${escapeHtml(s.expiredText)}</p>`);
}

/** A forged or unknown token (404). Its complaint, so its language, is unknown: the browser's preference decides. */
export function surveyNotFoundPage(language: SurveyLanguage): HttpResult {
  const s = SURVEY_STRINGS[language];
  return htmlPage(404, s, s.notFoundTitle, `<p>${escapeHtml(s.notFoundText)}</p>`);
}

/** zh when the browser's Accept-Language prefers Chinese (by q-value) over anything else, else en. */
export function languageFromAcceptLanguage(header: string | undefined): SurveyLanguage {
  let best: { lang: SurveyLanguage; q: number } | undefined;
  for (const part of (header ?? '').split(',').slice(0, 20)) {
    const [tag = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!tag || !(q > 0)) continue;
    const lang: SurveyLanguage = /^zh\b/i.test(tag) ? 'zh' : 'en';
    if (!best || q > best.q) best = { lang, q };
  }
  return best?.lang ?? 'en';
}
