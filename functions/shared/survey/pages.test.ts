import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { escapeHtml, languageFromAcceptLanguage, surveyAnsweredPage, surveyExpiredPage, surveyFormPage, surveyNotFoundPage, surveyThanksPage } from './pages.ts';

const body = (r: { body?: string }) => r.body ?? '';

describe('the survey form', () => {
  it('in Chinese: lang zh-CN, the Chinese legend, labels and button', () => {
    const page = surveyFormPage('zh');
    expect(page.statusCode).toBe(200);
    expect(body(page)).toContain('<html lang="zh-CN">');
    expect(body(page)).toContain('<legend>您对本次投诉的处理满意吗？</legend>');
    expect(body(page)).toContain('5 – 非常满意');
    expect(body(page)).toContain('提交评价');
    expect(page.headers?.['content-language']).toBe('zh-CN');
  });

  it('in English: lang en and the English strings', () => {
    const html = body(surveyFormPage('en'));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<legend>How satisfied are you with how we handled your complaint?</legend>');
    expect(html).toContain('1 – Very dissatisfied');
    expect(html).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('is five labelled radio buttons in a fieldset, a comment box and a submit button', () => {
    const html = body(surveyFormPage('en'));
    expect(html.match(/<input type="radio"/g)).toHaveLength(5);
    for (let s = 1; s <= 5; s++) expect(html).toContain(`<label class="choice" for="score-${s}"><input type="radio" id="score-${s}" name="score" value="${s}"`);
    expect(html).toMatch(/<fieldset[^>]*>\n<legend>/);
    expect(html).toContain('<label class="field" for="comment">');
    expect(html).toContain('<textarea id="comment" name="comment"');
    expect(html).toContain('<button type="submit">');
    expect(html).toContain('<form method="post" accept-charset="utf-8">');
  });

  it('works on a phone with nothing to load: viewport, no script, no external resource', () => {
    const html = body(surveyFormPage('zh'));
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
  });

  it('allows exactly its inline style by hash and nothing else', () => {
    const page = surveyFormPage('en');
    const style = /<style>(.*)<\/style>/.exec(body(page))![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(page.headers?.['content-security-policy']).toBe(`default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`);
    expect(page.headers).toMatchObject({ 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' });
  });

  it('shows errors beside the field and in a summary, answers 400, and keeps what was typed (escaped)', () => {
    const page = surveyFormPage('zh', { errors: [{ field: 'score', message: 'x' }], values: { comment: '<script>alert(1)</script> & "quotes"' } });
    expect(page.statusCode).toBe(400);
    const html = body(page);
    expect(html).toContain('<p class="error" id="score-error">请选择 1 到 5 分。</p>');
    expect(html).toContain('<fieldset aria-describedby="score-error">');
    expect(html).toContain('role="alert"');
    expect(html).toContain('<a href="#score-1">');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;</textarea>');
    expect(html).not.toMatch(/<script/i);
  });

  it('keeps the chosen score when only the comment was wrong', () => {
    const html = body(surveyFormPage('en', { errors: [{ field: 'comment', message: 'too long' }], values: { score: 4 } }));
    expect(html).toContain('value="4" checked');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('The comment can be at most 2,000 characters.');
  });

  it('escapes any comment so it cannot leave the textarea', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (comment) => {
        const html = body(surveyFormPage('en', { errors: [{ field: 'score', message: 'x' }], values: { comment } }));
        const inside = /<textarea[^>]*>([\s\S]*)<\/textarea>/.exec(html)![1]!;
        return !/[<>"]/.test(inside) && inside === escapeHtml(comment);
      }),
    );
  });
});

describe('the answer pages', () => {
  it.each([
    ['thanks', surveyThanksPage, 200, '感谢您的评价', 'Thank you'],
    ['already answered', surveyAnsweredPage, 409, '您已评价过', 'Already rated'],
    ['expired', surveyExpiredPage, 410, '评价链接已过期', 'This survey has closed'],
    ['not found', surveyNotFoundPage, 404, '找不到此评价', 'Survey not found'],
  ] as const)('%s answers %i in both languages', (_name, render, status, zh, en) => {
    const zhPage = render('zh');
    const enPage = render('en');
    expect(zhPage.statusCode).toBe(status);
    expect(enPage.statusCode).toBe(status);
    expect(body(zhPage)).toContain(`<h1>${zh}</h1>`);
    expect(body(zhPage)).toContain('lang="zh-CN"');
    expect(body(enPage)).toContain(`<h1>${en}</h1>`);
    expect(body(enPage)).not.toMatch(/<script|<form/i);
  });
});

describe('languageFromAcceptLanguage', () => {
  it('prefers Chinese only when the browser does', () => {
    expect(languageFromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(languageFromAcceptLanguage('en-GB,en;q=0.9,zh;q=0.5')).toBe('en');
    expect(languageFromAcceptLanguage('en;q=0.4, zh-Hans;q=0.6')).toBe('zh');
    expect(languageFromAcceptLanguage(undefined)).toBe('en');
    expect(languageFromAcceptLanguage(';;;,q=x')).toBe('en');
  });
});
