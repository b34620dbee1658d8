/**
 * Webhooks as Qlik Cloud sends them, with `curl` and `openssl` as the sender: the body signed with
 * `openssl dgst -sha256 -hmac` exactly as Qlik signs (hex HMAC-SHA256 of the raw body, no
 * timestamp), posted over real HTTP on 127.0.0.1 to a receiver serving the generated
 * user-sessions client. The answer is 2xx only when a handler took the event; an event the
 * client cannot take is answered 4xx with the reason and without its values.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sessions from '../__snapshots__/user-sessions/index.js';
import { webhookReceiver, type WebhookReceiver } from '../../templates/runtime/webhook.js';
import { attributes, EVENT, peer, run, STRUCTURED } from './peers.js';

const tools = peer('curl + openssl', ['curl', 'openssl', 'bash']);
const SECRET = 'qlik-webhook-secret-of-thirty-two-or-more-chars';
const PATH = '/system-events.user-session';

/**
 * Signs the body file as Qlik Cloud does and POSTs it; prints the status, a newline, the answer.
 * With WEBHOOK_TIMESTAMP set it signs `timestamp.body` instead, the receiver's timestamped form.
 */
const SEND = `
set -euo pipefail
if [ -n "\${WEBHOOK_TIMESTAMP:-}" ]; then
  sig=$( { printf '%s.' "$WEBHOOK_TIMESTAMP"; cat "$BODY"; } | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.*= //')
  extra=(-H "webhook-timestamp: $WEBHOOK_TIMESTAMP")
else
  sig=$(openssl dgst -sha256 -hmac "$SECRET" -hex < "$BODY" | sed 's/^.*= //')
  extra=()
fi
curl -sS -o "$BODY.answer" -w '%{http_code}\\n' -X POST -H "Content-Type: $CONTENT_TYPE" -H "Qlik-Signature: $sig" -H 'User-Agent: Qlik Webhook' "\${extra[@]}" "\${HEADERS[@]}" --data-binary @"$BODY" "$URL"
cat "$BODY.answer"
`;

describe.skipIf(!tools.available)(`webhooks from ${tools.title}, signed as Qlik Cloud signs`, () => {
  let dir: string;
  const received: Array<{ id: string; payload: sessions.UserSessionBegin | sessions.UserSessionEnd }> = [];
  const receivers: Array<{ receiver: WebhookReceiver; url: string }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'interop-webhook-'));
    for (const signing of ['body', 'timestamp-body'] as const) {
      const receiver = webhookReceiver({ secret: SECRET, ...(signing === 'body' ? {} : { signing }) });
      const client = sessions.createUserSessionsClient(receiver);
      await client.channels.systemEventsUserSession.subscribe(
        { userSessionBegin: (payload) => void received.push({ id: 'userSessionBegin', payload }), userSessionEnd: (payload) => void received.push({ id: 'userSessionEnd', payload }) },
        { onError: () => undefined },
      );
      const { url } = await receiver.listen({ host: '127.0.0.1', port: 0 });
      receivers.push({ receiver, url });
    }
  });
  afterAll(async () => {
    await Promise.all(receivers.map(({ receiver }) => receiver.close()));
    await rm(dir, { recursive: true, force: true });
  });

  let n = 0;
  async function post(body: string, options: { contentType?: string; headers?: Array<[string, string]>; secret?: string; timestamped?: boolean } = {}): Promise<{ status: number; answer: string }> {
    const file = path.join(dir, `body-${++n}.json`);
    await writeFile(file, body);
    const target = receivers[options.timestamped ? 1 : 0];
    const headers = (options.headers ?? []).map(([k, v]) => `-H ${JSON.stringify(`${k}: ${v}`)}`).join(' ');
    const out = await run('bash', ['-c', `HEADERS=(${headers}); ${SEND}`], {
      env: {
        BODY: file,
        SECRET: options.secret ?? SECRET,
        CONTENT_TYPE: options.contentType ?? 'application/json',
        URL: `${target?.url ?? ''}${PATH}`,
        WEBHOOK_TIMESTAMP: options.timestamped ? String(Math.floor(Date.now() / 1000)) : '',
      },
    });
    const [status = '', ...answer] = out.split('\n');
    return { status: Number(status), answer: answer.join('\n') };
  }

  const withId = (id: string) => ({ ...EVENT, id });

  it.each([
    ['as Qlik Cloud sends it: the whole event as application/json', 'application/json', []],
    ['structured, application/cloudevents+json', STRUCTURED, []],
    // The regression: attribute headers beside a structured body made it read as binary.
    ['structured, with the ce- attribute headers too', STRUCTURED, attributes().map(([k, v]) => [`ce-${k}`, v])],
  ] as const)('%s: 204 and the handler gets the event', async (_name, contentType, headers) => {
    const event = withId(`evt-${++n}`);
    const { status, answer } = await post(JSON.stringify(event), { contentType, headers: headers.map(([k, v]): [string, string] => [String(k), k === 'ce-id' ? event.id : String(v)]) });
    expect({ status, answer }).toEqual({ status: 204, answer: '' });
    expect(received.filter((r) => r.payload.id === event.id)).toEqual([{ id: 'userSessionBegin', payload: event }]);
    expect(received.find((r) => r.payload.id === event.id)?.payload.data).toMatchObject({ subject: 'auth0\\foo' });
  });

  it('binary: ce- headers with the data as the body: 204 and the handler gets the event', async () => {
    const id = `evt-${++n}`;
    const headers = attributes().map(([k, v]): [string, string] => [`ce-${k}`, k === 'id' ? id : v]);
    const { status } = await post(JSON.stringify(EVENT.data), { headers });
    expect(status).toBe(204);
    expect(received.filter((r) => r.payload.id === id)).toEqual([{ id: 'userSessionBegin', payload: { ...withId(id), datacontenttype: 'application/json' } }]);
  });

  it('the timestamped form, where both ends opt in to it: 204', async () => {
    const event = withId(`evt-${++n}`);
    expect((await post(JSON.stringify(event), { timestamped: true })).status).toBe(204);
    expect(received.filter((r) => r.payload.id === event.id)).toHaveLength(1);
  });

  it.each([
    // Qlik's own example of idpId is null ("null if user logged in using Qlik Account"); the schema says string.
    ['an event that fails the schema', JSON.stringify({ ...EVENT, id: 'bad-1', data: { ...EVENT.data, idpId: null } }), 422, /userSessionBegin: invalid payload: \/data\/idpId must be string/],
    ['an event type the path does not have', JSON.stringify({ ...EVENT, id: 'bad-2', type: 'com.qlik.v1.app.created' }), 422, /matches no message/],
    ['a body that is not JSON', '{"specversion": "1.0", "id": ', 400, /not valid JSON/],
  ])('%s: %i with the reason, and none of its values', async (_name, body, want, reason) => {
    const before = received.length;
    const { status, answer } = await post(body);
    expect(status).toBe(want);
    expect(answer).toMatch(reason);
    for (const value of [EVENT.tenantid, EVENT.userid, 'auth0']) expect(answer).not.toContain(value);
    expect(received.length).toBe(before);
  });

  it('a delivery signed with another secret: 401, and no handler runs', async () => {
    const before = received.length;
    const { status, answer } = await post(JSON.stringify(withId('forged')), { secret: 'another-secret-of-thirty-two-characters!' });
    expect({ status, answer }).toEqual({ status: 401, answer: 'webhook rejected: bad-signature' });
    expect(received.length).toBe(before);
  });
});
