/**
 * Every word the customer sees in the survey, in Simplified Chinese and English (the complaint's
 * language decides; anything other than Chinese gets English). Kept together so a translator reviews
 * one file.
 */

export type SurveyLanguage = 'zh' | 'en';

/** The survey's language for a complaint's `language` (`zh`, `zh-CN`, `zh-Hans` → zh; anything else → en). */
export function surveyLanguage(language: string | undefined): SurveyLanguage {
  return typeof language === 'string' && /^zh\b/i.test(language.trim()) ? 'zh' : 'en';
}

export interface SurveyStrings {
  /** The `lang` attribute of the pages (BCP 47). */
  htmlLang: string;
  bank: string;
  formTitle: string;
  formIntro: string;
  legend: string;
  /** Labels of scores 1 to 5, in order. */
  scores: [string, string, string, string, string];
  commentLabel: string;
  commentHint: string;
  submit: string;
  errorSummary: string;
  scoreError: string;
  commentTooLong: string;
  thanksTitle: string;
  thanksText: string;
  answeredTitle: string;
  answeredText: string;
  expiredTitle: string;
  expiredText: string;
  notFoundTitle: string;
  notFoundText: string;
  /** The rating request sent through the reply path; `{url}` is the survey link. */
  request: string;
  /** Added on messaging channels, where a bare "1"–"5" reply is recorded as the rating. */
  requestReply: string;
}

export const SURVEY_STRINGS: Record<SurveyLanguage, SurveyStrings> = {
  zh: {
    htmlLang: 'zh-CN',
    bank: '客户服务',
    formTitle: '服务评价',
    formIntro: '您的投诉已处理完毕。请告诉我们您对处理结果的满意程度。',
    legend: '您对本次投诉的处理满意吗？',
    scores: ['1 – 非常不满意', '2 – 不满意', '3 – 一般', '4 – 满意', '5 – 非常满意'],
    commentLabel: '还有什么想告诉我们的吗？（选填）',
    commentHint: '请勿填写银行卡号、身份证号等个人信息。',
    submit: '提交评价',
    errorSummary: '请修改以下问题后再提交：',
    scoreError: '请选择 1 到 5 分。',
    commentTooLong: '留言不能超过 2000 个字符。',
    thanksTitle: '感谢您的评价',
    thanksText: '我们已收到您的评价，感谢您帮助我们改进服务。',
    answeredTitle: '您已评价过',
    answeredText: '本次处理结果已经评价过，无需再次提交。感谢您的反馈。',
    expiredTitle: '评价链接已过期',
    expiredText: '此评价链接已失效。如需继续反馈，请通过原渠道联系我们。',
    notFoundTitle: '找不到此评价',
    notFoundText: '此链接无效。请检查链接是否完整。',
    request: '您的投诉已处理完毕。请为我们的服务评分：{url}',
    requestReply: '您也可以直接回复数字 1–5（1 = 非常不满意，5 = 非常满意）。',
  },
  en: {
    htmlLang: 'en',
    bank: 'Customer service',
    formTitle: 'Rate our service',
    formIntro: 'Your complaint has been resolved. Please tell us how satisfied you are with how we handled it.',
    legend: 'How satisfied are you with how we handled your complaint?',
    scores: ['1 – Very dissatisfied', '2 – Dissatisfied', '3 – Neither', '4 – Satisfied', '5 – Very satisfied'],
    commentLabel: 'Anything else you would like to tell us? (optional)',
    commentHint: 'Please do not include card, account or ID numbers.',
    submit: 'Send rating',
    errorSummary: 'Please fix the following and send again:',
    scoreError: 'Choose a rating from 1 to 5.',
    commentTooLong: 'The comment can be at most 2,000 characters.',
    thanksTitle: 'Thank you',
    thanksText: 'We have your rating. Thank you for helping us improve.',
    answeredTitle: 'Already rated',
    answeredText: 'This resolution has already been rated; there is nothing more to send. Thank you for your feedback.',
    expiredTitle: 'This survey has closed',
    expiredText: 'This rating link has expired. To tell us more, contact us the way you did before.',
    notFoundTitle: 'Survey not found',
    notFoundText: 'This link is not valid. Please check that you have the whole link.',
    request: 'Your complaint has been resolved. Please rate our service: {url}',
    requestReply: 'Or simply reply with a number from 1 to 5 (1 = very dissatisfied, 5 = very satisfied).',
  },
};
