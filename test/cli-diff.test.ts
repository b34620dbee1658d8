/** `codegen diff`, spawned as a user (or a CI job) runs it from the repository root. Uses the build of `pretest`. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';

const DIR = path.join(OUT, 'cli-diff');
/** Relative to the root, as a user types them. */
const REL = path.relative(ROOT, DIR).split(path.sep).join('/');
const ORDERS = 'test/fixtures/diff/orders.json';
const ORDERS_V2 = 'test/fixtures/diff/orders-v2.json';

async function codegen(args: readonly string[]): Promise<Run> {
  return runCli(args, { cwd: ROOT });
}

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
  const orders = JSON.parse(await readFile(path.join(ROOT, ORDERS), 'utf8'));
  orders.info.description = 'Orders and their audit trail.';
  await writeFile(path.join(DIR, 'orders-docs.json'), JSON.stringify(orders, null, 2));
  // The seeds one release later, each with a field removed.
  const sessions = JSON.parse(await readFile(path.join(ROOT, 'specs/user-sessions.asyncapi.json'), 'utf8'));
  delete sessions.components.messages['user-session.userSessionBegin'].payload.allOf[2].properties.data.properties.idpId;
  await writeFile(path.join(DIR, 'user-sessions.json'), JSON.stringify(sessions, null, 2));
  const iam = await readFile(path.join(ROOT, 'specs/iam-client-events.asyncapi.yaml'), 'utf8');
  const withoutTraceId = iam.replace('        traceId:\n          type: string\n', '');
  expect(withoutTraceId).not.toBe(iam);
  await writeFile(path.join(DIR, 'iam-client-events.yaml'), withoutTraceId);
});

describe('codegen diff', () => {
  it('says "no changes" and exits 0 for identical specs', async () => {
    const run = await codegen(['diff', ORDERS, ORDERS]);
    expect(run).toEqual({ code: 0, stdout: `no changes between ${ORDERS} and ${ORDERS}\n`, stderr: '' });
  });

  it('prints breaking changes first, one line each, then a summary, and exits 1', async () => {
    const run = await codegen(['diff', ORDERS, ORDERS_V2]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'breaking      channels/orders/address: changed from "orders.{region}" to "orders.v2.{region}"',
        'breaking      channels/orders/messages/placed/payload/properties/note: property removed',
        'breaking      channels/orders/messages/placed/payload/properties/status/enum: value "shipped" added',
        'non-breaking  channels/orders/messages/placed/payload/properties/coupon: optional property added',
        'non-breaking  info/description: added "Orders and their audit trail."',
        'non-breaking  info/version: changed from "1.0.0" to "1.1.0"',
        'unclassified  channels/orders/messages/placed/payload/properties/id/x-sensitive: added true',
        '',
        `7 changes: 3 breaking, 3 non-breaking, 1 unclassified (${ORDERS} → ${ORDERS_V2})`,
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when changes break nothing', async () => {
    const run = await codegen(['diff', ORDERS, `${REL}/orders-docs.json`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^non-breaking  info\/description: added "Orders and their audit trail."\n\n1 change: 0 breaking, 1 non-breaking, 0 unclassified /);
  });

  it('--format json gives a stable document a program can read', async () => {
    const run = await codegen(['diff', ORDERS, ORDERS_V2, '--format', 'json']);
    expect(run.code).toBe(1);
    const out = JSON.parse(run.stdout);
    expect(out.before).toBe(ORDERS);
    expect(out.after).toBe(ORDERS_V2);
    expect(out.summary).toEqual({ breaking: 3, 'non-breaking': 3, unclassified: 1 });
    expect(out.changes[0]).toEqual({
      kind: 'breaking',
      path: 'channels/orders',
      pointer: '/channels/orders/address',
      message: 'changed from "orders.{region}" to "orders.v2.{region}"',
    });
    expect((await codegen(['diff', ORDERS, ORDERS_V2, '-f', 'json'])).stdout).toBe(run.stdout);
  });

  it('--format markdown gives a heading, the counts and a table for a PR comment', async () => {
    const run = await codegen(['diff', ORDERS, ORDERS_V2, '--format', 'markdown']);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      `### AsyncAPI changes: \`${ORDERS}\` → \`${ORDERS_V2}\``,
      '',
      '**3 breaking**, 3 non-breaking, 1 unclassified',
      '',
      '| Kind | Where | Change |',
      '| --- | --- | --- |',
    ]);
    expect(lines).toContain('| breaking | `channels/orders/messages/placed/payload/properties/note` | property removed |');
    expect(lines.filter((l) => l.startsWith('| ')).length).toBe(2 + 7);
  });

  it('finds the field removed from the user-sessions seed, naming files relative to the cwd even when given absolutely', async () => {
    const run = await codegen(['diff', path.join(ROOT, 'specs/user-sessions.asyncapi.json'), `${REL}/user-sessions.json`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      'breaking      channels/systemEventsUserSession/messages/userSessionBegin/payload/allOf/2/properties/data/properties/idpId: property removed\n\n' +
        `1 change: 1 breaking, 0 non-breaking, 0 unclassified (specs/user-sessions.asyncapi.json → ${REL}/user-sessions.json)\n`,
    );
    expect(run.stdout).not.toContain(ROOT);
  });

  it('reports a field removed from a schema the iam-client-events seed shares, once per message using it', async () => {
    const run = await codegen(['diff', 'specs/iam-client-events.asyncapi.yaml', `${REL}/iam-client-events.yaml`]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`9 changes: 9 breaking, 0 non-breaking, 0 unclassified (specs/iam-client-events.asyncapi.yaml → ${REL}/iam-client-events.yaml)`);
    expect(lines[0]).toBe('breaking      channels/client/messages/clientCreated/payload/allOf/0/properties/traceId: property removed');
  });

  it('exits 1 on a broken spec with a compiler-style error naming the file, and no stack trace', async () => {
    const run = await codegen(['diff', ORDERS, 'test/fixtures/diff/broken.json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^test\/fixtures\/diff\/broken\.json:\d+:\d+: error /);
    expect(run.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('exits 1 naming a missing file', async () => {
    const run = await codegen(['diff', 'test/fixtures/diff/missing.json', ORDERS]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^test\/fixtures\/diff\/missing\.json: error cannot read/);
  });

  it.each([
    ['an unknown format', ['diff', ORDERS, ORDERS, '--format', 'xml']],
    ['a missing spec', ['diff', ORDERS]],
  ])('exits 2 on %s', async (_name, args) => {
    const run = await codegen(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error/);
  });
});
