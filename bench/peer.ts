/**
 * The peer: `asyncapi generate models typescript` from @asyncapi/cli, pinned, installed on first
 * use into bench/.cache/peer (never into the project's node_modules).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CACHE } from './synth.js';

export const PEER_PACKAGE = '@asyncapi/cli';
export const PEER_VERSION = '6.2.0';
const PEER_DIR = path.join(CACHE, 'peer');
const PEER_BIN = path.join(PEER_DIR, 'node_modules', '@asyncapi', 'cli', 'bin', 'run_bin');
/** Read by the CLI instead of ~/.asyncapi-analytics (ASYNCAPI_METRICS_CONFIG_PATH). */
const ANALYTICS_FILE = path.join(PEER_DIR, 'analytics.json');

export type Peer = { readonly ok: true; readonly bin: string; readonly env: NodeJS.ProcessEnv } | { readonly ok: false; readonly reason: string };

function npmInstall(): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const args = ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', '--no-save', `${PEER_PACKAGE}@${PEER_VERSION}`];
    const child = spawn('npm', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

export async function ensurePeer(log: (line: string) => void): Promise<Peer> {
  if (process.env['BENCH_PEER'] === '0') return { ok: false, reason: 'skipped (BENCH_PEER=0)' };
  if (!existsSync(PEER_BIN)) {
    log(`installing ${PEER_PACKAGE}@${PEER_VERSION} into bench/.cache/peer (first run only)…`);
    await mkdir(PEER_DIR, { recursive: true });
    const { code, output } = await npmInstall();
    if (code !== 0 || !existsSync(PEER_BIN)) {
      return { ok: false, reason: `npm install ${PEER_PACKAGE}@${PEER_VERSION} failed: ${output.trim().split('\n').slice(-3).join(' / ')}` };
    }
  }
  // Analytics off and its first-run notice already "shown", so the CLI neither prompts nor phones home.
  await writeFile(ANALYTICS_FILE, `${JSON.stringify({ analyticsEnabled: 'false', infoMessageShown: 'true', userID: 'bench' })}\n`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASYNCAPI_METRICS_CONFIG_PATH: ANALYTICS_FILE,
    // node-config inside the CLI warns about a missing ./config folder on every run.
    SUPPRESS_NO_CONFIG_WARNING: '1',
    CI: 'true',
  };
  return { ok: true, bin: PEER_BIN, env };
}
