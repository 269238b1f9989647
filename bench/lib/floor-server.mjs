// The floor baseline: a bare node:http server doing only the unavoidable work of an ingest endpoint:
// read the body, verify the same Standard Webhooks signature, parse JSON, append durably (a file
// write, acknowledged after it completes), answer 202. Nothing else: no validation library, no queue,
// no dedupe. Redress's ingest is measured beside it in the same run.
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';

const key = Buffer.from(process.env.SECRET.replace(/^whsec_/, ''), 'base64');
const out = fs.openSync(process.env.OUT, 'a');
http
  .createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 262144) chunks.push(c);
    });
    req.on('end', () => {
      const send = (s, b) => {
        res.writeHead(s, { 'content-type': s === 202 ? 'application/json' : 'application/problem+json' });
        res.end(JSON.stringify(b));
      };
      if (req.method !== 'POST' || req.url !== '/webhooks/web') return send(404, { title: 'not found' });
      if (size > 262144) return send(413, { title: 'too large' });
      const id = req.headers['webhook-id'], ts = req.headers['webhook-timestamp'], sig = req.headers['webhook-signature'];
      if (!id || !ts || !sig || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return send(401, { title: 'unauthorized' });
      const body = Buffer.concat(chunks);
      const want = crypto.createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest();
      const ok = String(sig).split(' ').some((s) => {
        const [v, b] = s.split(',');
        if (v !== 'v1' || !b) return false;
        const got = Buffer.from(b, 'base64');
        return got.length === want.length && crypto.timingSafeEqual(got, want);
      });
      if (!ok) return send(401, { title: 'bad signature' });
      let j;
      try {
        j = JSON.parse(body.toString('utf8'));
      } catch {
        return send(400, { title: 'invalid JSON' });
      }
      if (typeof j?.data?.text !== 'string' || !j.data.text.length) return send(400, { title: 'data.text required' });
      const fid = 'fb_' + crypto.createHash('sha256').update('web:' + id).digest('hex').slice(0, 26);
      fs.write(out, JSON.stringify({ id: fid, webhookId: id, body: j }) + '\n', (err) => (err ? send(500, { title: 'write failed' }) : send(202, { accepted: [{ id: fid, duplicate: false }] })));
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
