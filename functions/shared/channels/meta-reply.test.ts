import { describe, expect, it } from 'vitest';
import type { OutboundReply } from '../ports/reply-sender.ts';
import { graphOutcome, messengerSendRequest, metaReplyConfig, parsePairs, parseWhatsAppTemplate, templateParameterText, whatsAppSendRequest } from './meta-reply.ts';

const GRAPH = 'https://graph.facebook.com/v21.0';
const NOW = new Date('2026-12-06T08:00:00Z');
const reply = (over: Partial<OutboundReply> = {}): OutboundReply => ({
  replyId: 'rp_1',
  feedbackId: 'fb_1',
  source: 'messenger',
  externalId: 'm_in',
  message: 'hello, world',
  recipient: { customerId: '7012345678901234', accountId: '104350012345678' },
  mode: 'response',
  ...over,
});
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers), text: typeof body === 'string' ? body : JSON.stringify(body) });

describe('Send API request (Messenger, Instagram)', () => {
  it('is the documented RESPONSE request: POST /{page-id}/messages, recipient id, messaging_type, message text, Bearer page token', () => {
    // Act
    const request = messengerSendRequest(GRAPH, '104350012345678', 'EAAGpage', reply());
    // Assess: the Send API reference's example, as JSON.
    expect(request).toMatchObject({ method: 'POST', url: `${GRAPH}/104350012345678/messages`, headers: { 'content-type': 'application/json', authorization: 'Bearer EAAGpage' } });
    expect(JSON.parse(request!.body!)).toEqual({ recipient: { id: '7012345678901234' }, messaging_type: 'RESPONSE', message: { text: 'hello, world' } });
  });

  it('tags a reply after 24 h: messaging_type MESSAGE_TAG with tag HUMAN_AGENT', () => {
    const request = messengerSendRequest(GRAPH, 'p', 't', reply({ mode: 'human_agent' }));
    expect(JSON.parse(request!.body!)).toEqual({ recipient: { id: '7012345678901234' }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'hello, world' } });
  });

  it('answers an Instagram comment by its comment_id (private reply)', () => {
    const request = messengerSendRequest(GRAPH, 'p', 't', reply({ source: 'instagram', mode: 'private_reply', recipient: { commentId: '17865432109876543', accountId: 'ig' } }));
    expect(JSON.parse(request!.body!)).toEqual({ recipient: { comment_id: '17865432109876543' }, message: { text: 'hello, world' } });
  });

  it('builds nothing for a mode Messenger does not have, or without a recipient', () => {
    expect(messengerSendRequest(GRAPH, 'p', 't', reply({ mode: 'template' }))).toBeUndefined();
    expect(messengerSendRequest(GRAPH, 'p', 't', reply({ recipient: { accountId: 'p' } }))).toBeUndefined();
  });

  it('keeps the text exactly, non-ASCII and new lines included', () => {
    const text = '您好，已为您退款。\nThanks — 🙏';
    expect(JSON.parse(messengerSendRequest(GRAPH, 'p', 't', reply({ message: text }))!.body!).message.text).toBe(text);
  });
});

describe('WhatsApp Cloud API request', () => {
  const wa = (over: Partial<OutboundReply> = {}) => reply({ source: 'whatsapp', mode: 'free_form', recipient: { customerId: '16505551234', accountId: '106540352242922' }, ...over });

  it('is the documented text message from the number that received the customer’s message', () => {
    const request = whatsAppSendRequest(GRAPH, '106540352242922', 'EAAGsystem', wa({ message: 'Your refund was sent.' }));
    expect(request).toMatchObject({ method: 'POST', url: `${GRAPH}/106540352242922/messages`, headers: { authorization: 'Bearer EAAGsystem', 'content-type': 'application/json' } });
    expect(JSON.parse(request!.body!)).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '16505551234', type: 'text', text: { body: 'Your refund was sent.' } });
  });

  it('after 24 h sends the template with the message as its one body parameter', () => {
    const request = whatsAppSendRequest(GRAPH, 'pn', 't', wa({ mode: 'template', message: 'Line one.\n\nLine\ttwo.' }), { name: 'complaint_reply', language: 'zh_CN' });
    expect(JSON.parse(request!.body!)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      type: 'template',
      template: { name: 'complaint_reply', language: { code: 'zh_CN' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Line one. Line two.' }] }] },
    });
  });

  it('builds no template message when no template is configured', () => {
    expect(whatsAppSendRequest(GRAPH, 'pn', 't', wa({ mode: 'template' }))).toBeUndefined();
  });

  it('puts a template parameter on one line without runs of spaces (WhatsApp refuses them)', () => {
    expect(templateParameterText('  a\r\nb\t\tc      d  ')).toBe('a b c d');
  });
});

describe('Graph answers', () => {
  it('takes the Send API message_id and the WhatsApp messages[0].id', () => {
    expect(graphOutcome(answer(200, { recipient_id: '1', message_id: 'AG5Hz2U' }), NOW)).toEqual({ status: 'sent', platformMessageId: 'AG5Hz2U' });
    expect(graphOutcome(answer(200, { messaging_product: 'whatsapp', contacts: [{ input: '1', wa_id: '1' }], messages: [{ id: 'wamid.X' }] }), NOW)).toEqual({ status: 'sent', platformMessageId: 'wamid.X' });
  });

  it('fails permanently on the outside-window error with Graph’s code and message', () => {
    const outcome = graphOutcome(answer(400, { error: { message: '(#10) This message is sent outside of allowed window.', type: 'OAuthException', code: 10, error_subcode: 2018278 } }), NOW);
    expect(outcome).toEqual({ status: 'permanent', code: '10', message: '(#10) This message is sent outside of allowed window.' });
  });

  it('prefers WhatsApp’s error_data.details as the message', () => {
    const outcome = graphOutcome(answer(400, { error: { message: '(#132001) Template name does not exist in the translation', code: 132001, error_data: { details: 'template name (x) does not exist in en_US' } } }), NOW);
    expect(outcome).toMatchObject({ status: 'permanent', code: '132001', message: 'template name (x) does not exist in en_US' });
  });

  it.each([
    ['a 5xx', 500, { error: { message: 'Service temporarily unavailable', code: 2 } }, {}],
    ['a 429 with Retry-After', 429, { error: { message: 'limit', code: 4 } }, { 'retry-after': '7' }],
    ['a rate-limit code sent as 400', 400, { error: { message: '(#613) Calls to this api have exceeded the rate limit.', code: 613 } }, {}],
    ['an error flagged is_transient', 400, { error: { message: 'try later', code: 99999, is_transient: true } }, {}],
    ['an HTML error page', 502, '<html>Bad gateway</html>', {}],
  ])('is transient on %s', (_label, status, body, headers) => {
    expect(graphOutcome(answer(status, body, headers), NOW).status).toBe('transient');
  });

  it('honours Retry-After on a 429', () => {
    expect(graphOutcome(answer(429, { error: { message: 'limit', code: 4 } }, { 'retry-after': '7' }), NOW)).toMatchObject({ retryAfterMs: 7000 });
  });
});

describe('Meta reply configuration', () => {
  it('reads page tokens, Instagram→Page links, the WhatsApp token (first of the list) and the template', () => {
    const config = metaReplyConfig({
      REDRESS_META_PAGE_TOKENS: '104350012345678=EAAGa, 2002=EAAGb,broken,=x',
      REDRESS_META_INSTAGRAM_PAGES: '17841401234567890=104350012345678',
      REDRESS_WHATSAPP_TOKEN: 'EAAGnew,EAAGold',
      REDRESS_WHATSAPP_TEMPLATE: 'complaint_reply:en_US',
      REDRESS_META_GRAPH_URL: 'http://127.0.0.1:9/v21.0/',
    });
    expect(config).toEqual({
      graphUrl: 'http://127.0.0.1:9/v21.0',
      pageTokens: new Map([['104350012345678', 'EAAGa'], ['2002', 'EAAGb']]),
      instagramPages: new Map([['17841401234567890', '104350012345678']]),
      whatsappToken: 'EAAGnew',
      whatsappTemplate: { name: 'complaint_reply', language: 'en_US' },
    });
  });

  it('defaults the Graph URL and leaves what is unset unset', () => {
    expect(metaReplyConfig({})).toEqual({ graphUrl: GRAPH, pageTokens: new Map(), instagramPages: new Map() });
  });

  it.each(['', 'no-language', 'Bad Name:en', 'name:'])('ignores the malformed template %j', (value) => {
    expect(parseWhatsAppTemplate(value)).toBeUndefined();
  });

  it('keeps the first token given for a page twice', () => {
    expect(parsePairs('1=a,1=b')).toEqual(new Map([['1', 'a']]));
  });
});
