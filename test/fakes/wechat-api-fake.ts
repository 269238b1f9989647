/**
 * A fake of WeChat's Official Account API for customer-service messages, checking what WeChat checks:
 * `GET /cgi-bin/token` with `grant_type=client_credential` and the right AppID and AppSecret (40013 /
 * 40125 otherwise), tokens that expire after `expires_in`, and `POST /cgi-bin/message/custom/send`
 * with a live token (40001 unknown, 42001 expired), a JSON body `{touser, msgtype:"text",
 * text:{content}}`, and the 48-hour window from the customer's last message (45015). Every answer is
 * HTTP 200 with `errcode`, as WeChat answers.
 */
import { asObject, FakeServer, hexId, jsonBody, type FakeAnswer, type FakeBehaviour, type RecordedRequest } from './fake-server.ts';

const ok = (body: Record<string, unknown>): FakeAnswer => ({ status: 200, body });
const err = (errcode: number, errmsg: string): FakeAnswer => ok({ errcode, errmsg: `${errmsg} rid: ${hexId(8)}-${hexId(8)}` });

export interface WechatFakeOptions {
  appId: string;
  appSecret: string;
  /** Seconds a token lives (7200, as WeChat). */
  expiresIn?: number;
  now?: () => Date;
}

/** A customer-service message WeChat accepted. */
export interface AcceptedWechatMessage {
  touser: string;
  content: string;
}

export class WechatApiFake extends FakeServer {
  readonly accepted: AcceptedWechatMessage[] = [];
  /** OpenID → when the customer last wrote (the 48-hour window). Unknown users count as never. */
  readonly lastCustomerMessage = new Map<string, Date>();
  /** How many tokens were issued. */
  tokensIssued = 0;
  private readonly tokens = new Map<string, number>();
  private forcedTokenErrors: number[] = [];

  constructor(private readonly options: WechatFakeOptions) {
    const self: { fake?: WechatApiFake } = {};
    const behaviour: FakeBehaviour = {
      handle: (req) => self.fake!.answer(req),
      failure: (failure) => {
        if (failure.kind === 'server_error') return err(-1, 'system error');
        if (failure.kind === 'rate_limited') return err(45009, 'reach max api daily quota limit');
        return err(40003, 'invalid openid');
      },
    };
    super(behaviour);
    self.fake = this;
  }

  private now(): number {
    return (this.options.now?.() ?? new Date()).getTime();
  }

  /** The next sends are refused with these token errcodes (40001, 42001), whatever the token. */
  forceTokenError(...errcodes: number[]): void {
    this.forcedTokenErrors.push(...errcodes);
  }

  /** Every token issued so far stops working (as when another server fetched a new one long ago). */
  revokeAllTokens(): void {
    this.tokens.clear();
  }

  private answer(req: RecordedRequest): FakeAnswer {
    if (req.path === '/cgi-bin/token') return this.token(req);
    if (req.path === '/cgi-bin/message/custom/send') return this.send(req);
    return err(48001, 'api unauthorized');
  }

  private token(req: RecordedRequest): FakeAnswer {
    if (req.method !== 'GET') return err(43001, 'require GET method');
    if (req.query.get('grant_type') !== 'client_credential') return err(40002, 'invalid grant_type');
    if (req.query.get('appid') !== this.options.appId) return err(40013, 'invalid appid');
    if (req.query.get('secret') !== this.options.appSecret) return err(40125, 'invalid appsecret');
    const expiresIn = this.options.expiresIn ?? 7200;
    const token = `${hexId(16)}_${hexId(48)}`;
    this.tokens.set(token, this.now() + expiresIn * 1000);
    this.tokensIssued++;
    return ok({ access_token: token, expires_in: expiresIn });
  }

  private send(req: RecordedRequest): FakeAnswer {
    if (req.method !== 'POST') return err(43002, 'require POST method');
    const forced = this.forcedTokenErrors.shift();
    if (forced === 40001) return err(40001, 'invalid credential, access_token is invalid or not latest');
    if (forced === 42001) return err(42001, 'access_token expired');
    const token = req.query.get('access_token') ?? '';
    const expiresAt = this.tokens.get(token);
    if (expiresAt === undefined) return err(40001, 'invalid credential, access_token is invalid or not latest');
    if (expiresAt <= this.now()) return err(42001, 'access_token expired');
    const body = asObject(jsonBody(req));
    if (!body) return err(47001, 'data format error');
    const content = asObject(body.text)?.content;
    if (typeof body.touser !== 'string' || !body.touser) return err(40003, 'invalid openid');
    if (body.msgtype !== 'text') return err(40008, 'invalid message type');
    if (typeof content !== 'string' || !content) return err(44003, 'empty news data');
    const last = this.lastCustomerMessage.get(body.touser);
    if (!last || this.now() - last.getTime() >= 48 * 60 * 60 * 1000) return err(45015, 'response out of time limit or subscription is canceled');
    this.accepted.push({ touser: body.touser, content });
    return ok({ errcode: 0, errmsg: 'ok' });
  }
}
