import { describe, expect, it } from 'vitest';
import { twilioMessageRequest, twilioOutcome, twilioReplyConfig } from './twilio-reply.ts';

const NOW = new Date('2026-12-06T08:00:00Z');
const CONFIG = {
  apiUrl: 'https://api.twilio.com',
  accountSid: 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  authToken: 'your_auth_token',
  from: '+15557122661',
  statusCallback: 'https://api.example-bank.com/webhooks/hotline/twilio/status',
};
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers), text: JSON.stringify(body) });

describe('Twilio Messages.json request', () => {
  it('is the documented create-message call: form To, From, Body, StatusCallback with Basic AccountSid:AuthToken', () => {
    // Act
    const request = twilioMessageRequest(CONFIG, '+15558675310', "Hi there, we've reversed the fee & sent a letter.");
    // Assess
    expect(request.url).toBe('https://api.twilio.com/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages.json');
    expect(request.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from('ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:your_auth_token').toString('base64')}`,
    });
    expect([...new URLSearchParams(request.body)]).toEqual([
      ['To', '+15558675310'],
      ['From', '+15557122661'],
      ['Body', "Hi there, we've reversed the fee & sent a letter."],
      ['StatusCallback', 'https://api.example-bank.com/webhooks/hotline/twilio/status'],
    ]);
  });

  it('sends through a Messaging Service when REDRESS_TWILIO_FROM is an MG… SID', () => {
    const request = twilioMessageRequest({ ...CONFIG, from: `MG${'a'.repeat(32)}` }, '+15558675310', 'x');
    expect(new URLSearchParams(request.body).get('MessagingServiceSid')).toBe(`MG${'a'.repeat(32)}`);
    expect(new URLSearchParams(request.body).has('From')).toBe(false);
  });

  it('leaves StatusCallback out when no public URL is configured', () => {
    const { statusCallback: _none, ...withoutCallback } = CONFIG;
    expect(new URLSearchParams(twilioMessageRequest(withoutCallback, '+1', 'x').body).has('StatusCallback')).toBe(false);
  });
});

describe('Twilio answers', () => {
  it('takes the Message SID from a 201', () => {
    expect(twilioOutcome(answer(201, { sid: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', status: 'queued' }), NOW)).toEqual({ status: 'sent', platformMessageId: 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
  });

  it('fails permanently with Twilio’s code and message on a 400', () => {
    const body = { code: 21211, message: "The 'To' number +1 is not a valid phone number.", more_info: 'https://www.twilio.com/docs/errors/21211', status: 400 };
    expect(twilioOutcome(answer(400, body), NOW)).toEqual({ status: 'permanent', code: '21211', message: body.message });
  });

  it('is transient on 429 (with Retry-After) and 5xx', () => {
    expect(twilioOutcome(answer(429, { code: 20429, message: 'Too Many Requests' }, { 'retry-after': '3' }), NOW)).toEqual({ status: 'transient', code: '20429', message: 'Too Many Requests', retryAfterMs: 3000 });
    expect(twilioOutcome(answer(503, { code: 20503, message: 'Service Unavailable' }), NOW).status).toBe('transient');
  });
});

describe('Twilio reply configuration', () => {
  it('derives the StatusCallback from REDRESS_PUBLIC_URL and signs with the first auth token', () => {
    const config = twilioReplyConfig({ REDRESS_TWILIO_ACCOUNT_SID: 'AC1', REDRESS_TWILIO_AUTH_TOKEN: 'primary,secondary', REDRESS_TWILIO_FROM: '+15557122661', REDRESS_PUBLIC_URL: 'https://api.example-bank.com/' });
    expect(config).toEqual({ apiUrl: 'https://api.twilio.com', accountSid: 'AC1', authToken: 'primary', from: '+15557122661', statusCallback: 'https://api.example-bank.com/webhooks/hotline/twilio/status' });
  });
});
