import { describe, expect, it } from 'vitest';
import { wechatCustomSendRequest, wechatReplyConfig, wechatTokenRequest } from './wechat-reply.ts';

describe('WeChat requests', () => {
  it('fetches the token with GET /cgi-bin/token?grant_type=client_credential&appid=&secret=', () => {
    const request = wechatTokenRequest('https://api.weixin.qq.com', 'wx0000000000000001', 'secret&=value');
    const url = new URL(request.url);
    expect([request.method, url.origin + url.pathname]).toEqual(['GET', 'https://api.weixin.qq.com/cgi-bin/token']);
    expect(Object.fromEntries(url.searchParams)).toEqual({ grant_type: 'client_credential', appid: 'wx0000000000000001', secret: 'secret&=value' });
  });

  it('sends the documented customer-service text message, Chinese left unescaped in UTF-8 JSON', () => {
    const request = wechatCustomSendRequest('https://api.weixin.qq.com', 'ACCESS_TOKEN', 'testOpenId', '你好');
    expect(request.url).toBe('https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=ACCESS_TOKEN');
    expect(request.body).toBe('{"touser":"testOpenId","msgtype":"text","text":{"content":"你好"}}');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('WeChat reply configuration', () => {
  it('reads the AppID and the first AppSecret, and defaults the API URL', () => {
    expect(wechatReplyConfig({ REDRESS_WECHAT_APP_ID: 'wx1', REDRESS_WECHAT_APP_SECRET: 'a,b' })).toEqual({ apiUrl: 'https://api.weixin.qq.com', appId: 'wx1', appSecret: 'a' });
  });
});
