/**
 * What `codegen init --transport webhook` makes of the Qlik spec, started as a user starts it and
 * sent a webhook the way Qlik Cloud sends one: `curl` posting the event, signed with
 * `openssl dgst -sha256 -hmac` over the raw body. It takes the event with no option set, refuses
 * to start without a secret, and a broker that is down costs one line, not a stack trace.
 */
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planScaffold } from '../../src/init/scaffold.js';
import { writeScaffold } from '../../src/init/write.js';
import { OUT, ROOT } from '../support/specs.js';
import { EVENT, peer, run } from './peers.js';

const tools = peer('curl + openssl', ['curl', 'openssl', 'bash']);
const SPEC = path.join(ROOT, 'specs', 'user-sessions.asyncapi.json');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SECRET = 'a-qlik-webhook-secret-between-32-and-64-chars';
const dirs: string[] = [];
afterAll(async () => void (await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))));

async function scaffold(name: string, transport: 'webhook' | 'nats'): Promise<string> {
  const dir = path.join(OUT, `interop-${name}-${process.pid}`);
  dirs.push(dir);
  await rm(dir, { recursive: true, force: true });
  await writeScaffold(dir, await planScaffold({ dir, spec: SPEC, transport }));
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `npm start`'s command, until `until` shows in its output or it exits; then it is stopped. */
async function start(dir: string, env: Readonly<Record<string, string>>, until: RegExp, act?: () => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(TSX, ['src/index.ts'], { cwd: dir, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wait = async (pattern: RegExp): Promise<void> => {
    const end = Date.now() + 20_000;
    while (!pattern.test(stdout) && child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  };
  await wait(/listening; Ctrl-C to stop/);
  if (act && child.exitCode === null) await act();
  await wait(until);
  if (child.exitCode === null) child.kill('SIGTERM');
  return { code: await exited, stdout, stderr };
}

describe.skipIf(!tools.available)(`the webhook scaffold of the Qlik spec, sent to by ${tools.title}`, () => {
  // Generating is the slow part: each scaffold is made once, both at once.
  let webhook = '';
  let nats = '';
  beforeAll(async () => {
    [webhook, nats] = await Promise.all([scaffold('qlik', 'webhook'), scaffold('nats-down', 'nats')]);
  });

  it('takes a delivery signed as Qlik Cloud signs, and hands it to the typed handler', async () => {
    const dir = webhook;
    const port = await freePort();
    const event = { ...EVENT, id: 'from-qlik-1' };
    const body = path.join(dir, 'delivery.json');
    await writeFile(body, JSON.stringify(event));
    let status = '';
    const { stdout } = await start(dir, { WEBHOOK_SECRET: SECRET, PORT: String(port) }, /received userSessionBegin.*from-qlik-1/, async () => {
      const signature = `$(openssl dgst -sha256 -hmac "$SECRET" -hex < "$BODY" | sed 's/^.*= //')`;
      status = await run('bash', ['-c', `curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H "Qlik-Signature: ${signature}" --data-binary @"$BODY" "$URL"`], {
        env: { SECRET, BODY: body, URL: `http://127.0.0.1:${port}/system-events.user-session` },
      });
    });
    expect(status).toBe('204');
    expect(stdout).toMatch(/received userSessionBegin on system-events\.user-session: .*"id":"from-qlik-1"/);
  });

  it('without WEBHOOK_SECRET: exits 1 with one line that says what to set', async () => {
    const { code, stderr } = await start(webhook, { WEBHOOK_SECRET: '', PORT: '0' }, /never/);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^WEBHOOK_SECRET is not set: set it to the secret of the webhook that posts here .*\n$/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a NATS server that is not there: exits 1 with one line naming the address and the fix', async () => {
    const port = await freePort();
    const { code, stderr } = await start(nats, { NATS_SERVERS: `127.0.0.1:${port}` }, /never/);
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^cannot connect to NATS at 127\\.0\\.0\\.1:${port}: .*Start a server there \\(nats-server -js\\) or set NATS_SERVERS\\.\\n$`));
  });
});
