/**
 * Secrets never leave the generated client in an error or a log line: fields marked
 * `format: password`, `writeOnly` or `x-sensitive` show as `[redacted]`, while the other
 * offending values are shown, so a report still says what was wrong. A generated fixture client
 * and the reviewed IAM client run over the in-memory transport.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { writeFileSet } from '../../src/emit/write.js';
import { generateFiles } from '../../src/generate.js';
import { sensitiveLocations } from '../../src/ir/sensitive.js';
import { jsonErrorPosition } from '../../templates/runtime/codec.js';
import * as iam from '../__snapshots__/iam-client-events/index.js';
import { MemoryTransport } from '../../templates/runtime/memory.js';
import { OUT, ROOT } from '../support/specs.js';

const DIR = path.join(OUT, 'redaction');
const SPEC = path.join(ROOT, 'test', 'fixtures', 'secrets', 'vault.yaml');

// Every secret the tests send; none may appear in anything the client reports.
const SECRETS = {
  password: 'pw-SECRET-hunter2',
  token: 'tok-SECRET-apikey',
  pin: 'pin-SECRET-12',
  vault: 'vault-SECRET-value',
  tree: 'tree-SECRET-deep',
  header: 'hdr-SECRET-key',
  newKey: 'new-SECRET-key',
  iam: 'iam-SECRET-client',
  json: 'json-SECRET-raw',
};
const secretValues = Object.values(SECRETS);

interface Issue {
  readonly pointer: string;
  readonly keyword: string;
  readonly message: string;
  readonly value?: string;
}
interface ReportedError extends Error {
  readonly issues?: readonly Issue[];
  readonly candidates?: ReadonlyArray<{ readonly messageId: string; readonly issues: readonly Issue[] }>;
}
interface Endpoint {
  publish(payload: unknown, options?: unknown): Promise<void>;
  subscribe(handler: (payload: unknown) => void, options?: { onError?: (e: ReportedError) => void }): Promise<unknown>;
}
interface VaultClient {
  readonly createAccount: Endpoint;
  readonly rotateKey: Endpoint;
  readonly channels: { readonly accounts: Endpoint; readonly keys: { subscribe(handlers: object, options?: { onError?: (e: ReportedError) => void }): Promise<unknown> } };
}

let createVaultClient: (transport: MemoryTransport) => VaultClient;
let transport: MemoryTransport;
let consoleSpies: MockInstance[] = [];

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await writeFileSet(DIR, (await generateFiles(SPEC)).files);
  const index = (await import(path.join(DIR, 'index.ts'))) as { createVaultClient: typeof createVaultClient };
  createVaultClient = index.createVaultClient;
});
afterAll(async () => {
  await rm(DIR, { recursive: true, force: true });
});
beforeEach(() => {
  transport = new MemoryTransport();
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => undefined));
});
afterEach(async () => {
  await transport.close();
  vi.restoreAllMocks();
});

/** Everything a user could see: the error's message and fields, and every console line. */
function visible(errors: readonly unknown[]): string {
  const logged = consoleSpies.flatMap((s) => s.mock.calls.flat());
  return JSON.stringify([...errors, ...logged].map((e) => (e instanceof Error ? { ...e, message: e.message, stack: e.stack } : e)));
}

function expectNoSecret(errors: readonly unknown[]): void {
  const text = visible(errors);
  for (const secret of secretValues) expect(text).not.toContain(secret);
}

const encoder = new TextEncoder();
const raw = (value: unknown, headers: Record<string, string> = {}) => ({
  payload: encoder.encode(typeof value === 'string' ? value : JSON.stringify(value)),
  headers,
  contentType: 'application/json',
});

/** An account whose every offending value is either a secret or a plain value the report must show. */
const badAccount = {
  status: 'bogus',
  owner: 'ab',
  credentials: { username: 'bob', password: 12345 },
  apiKeys: [
    { name: 'ci', token: SECRETS.token },
    { name: 'ops', token: SECRETS.token },
    { name: 'dev', token: SECRETS.token },
  ],
  profile: { displayName: 'x'.repeat(30), pin: SECRETS.pin },
  vault: { db: SECRETS.vault },
  tree: { label: 'root', children: [{ label: 'leaf', secret: 'short', children: [{ secret: SECRETS.tree, children: 'not-a-list' }] }] },
};

const goodAccount = { status: 'active', owner: 'alice', credentials: { username: 'alice', password: 'long-enough-password' } };

/** badAccount's offending values, one per value sent: the validators report the first error only. */
const ONE_PROBLEM_EACH: ReadonlyArray<Record<string, unknown>> = [
  { status: badAccount.status },
  { owner: badAccount.owner },
  { credentials: badAccount.credentials },
  { apiKeys: badAccount.apiKeys },
  { profile: { displayName: badAccount.profile.displayName } },
  { profile: { pin: badAccount.profile.pin } },
  { vault: badAccount.vault },
  { tree: { label: 'root', children: [{ label: 'leaf', secret: 'short' }] } },
  { tree: { label: 'root', children: [{ label: 'leaf', children: [{ secret: SECRETS.tree, children: 'not-a-list' }] }] } },
];

describe('generation', () => {
  it('emits the secret locations of each message, through every kind of schema path', async () => {
    const client = (await generateFiles(SPEC)).files.get('client.ts') ?? '';
    expect(client).toContain('sensitive: { payload: ["/apiKeys/*/token", "/credentials/password", "/profile/pin", "/tree/**/secret", "/vault/*"], headers: ["/x-api-key"] }');
    expect(client).toContain('sensitive: { payload: ["/newKey"] }');
    // A message without secrets keeps its definition as before.
    expect(client).toMatch(
      /keyRevokedMessage = defineMessage<KeyRevoked>\(\{\n {2}id: "keyRevoked",\n {2}contentType: "application\/json",\n {2}payload: checkWith<KeyRevoked>\(validateKeyRevoked\),\n\}\);/,
    );
  });

  it.each([
    ['a property', { type: 'object', properties: { a: { type: 'string', format: 'password' } } }, ['/a']],
    ['the root itself', { type: 'string', writeOnly: true }, ['']],
    ['a tuple item and a pattern property', { prefixItems: [{}, { 'x-sensitive': true }], items: { patternProperties: { '^k': { 'x-sensitive': true } } } }, ['/*/*', '/1']],
    ['a oneOf branch and a then', { oneOf: [{ properties: { a: { 'x-sensitive': true } } }], then: { properties: { b: { writeOnly: true } } } }, ['/a', '/b']],
    ['a key needing escapes', { properties: { 'a/b~c': { 'x-sensitive': true } } }, ['/a~1b~0c']],
    ['nothing under not', { not: { properties: { a: { 'x-sensitive': true } } } }, []],
    ['an item that contains names', { properties: { keys: { type: 'array', contains: { properties: { secret: { writeOnly: true } } } } } }, ['/keys/*/secret']],
  ])('finds %s', (_name, schema, want) => {
    expect(sensitiveLocations(schema)).toEqual(want);
  });

  it('ends on self and mutual recursion, covering every depth with **', () => {
    const employee: Record<string, unknown> = { type: 'object', properties: { ssn: { 'x-sensitive': true } } };
    const department: Record<string, unknown> = { type: 'object', properties: { staff: { type: 'array', items: employee } } };
    (employee.properties as Record<string, unknown>).department = department;
    expect(sensitiveLocations({ properties: { dept: department } })).toEqual(['/dept/**/staff/*/ssn']);
  });
});

describe('publish', () => {
  it('shows plain offending values and redacts secrets, alone or inside a value', async () => {
    const client = createVaultClient(transport);
    // The validators stop at the first error, so each offending value is sent alone.
    const errors: ReportedError[] = [];
    for (const part of ONE_PROBLEM_EACH)
      errors.push((await client.createAccount.publish({ ...goodAccount, ...part }, { headers: { 'x-api-key': 'key_ok' } }).catch((e: unknown) => e)) as ReportedError);
    expect(errors.map((e) => [e.name, e.issues?.length])).toEqual(ONE_PROBLEM_EACH.map(() => ['ValidationError', 1]));
    const byPointer = Object.fromEntries(errors.flatMap((e) => e.issues ?? []).map((i) => [`${i.pointer} ${i.keyword}`, i.value]));
    expect(byPointer).toEqual({
      '/status enum': '"bogus"',
      '/owner minLength': '"ab"',
      '/credentials/password type': '[redacted]',
      '/apiKeys maxItems': '[{"name":"ci","token":[redacted]},{"name":"ops","token":…',
      '/profile/displayName maxLength': `"${'x'.repeat(30)}"`,
      '/profile/pin pattern': '[redacted]',
      '/vault/db maxLength': '[redacted]',
      '/tree/children/0/secret minLength': '[redacted]',
      '/tree/children/0/children/0/children type': '"not-a-list"',
    });
    const messages = errors.map((e) => e.message).join('\n');
    expect(messages).toContain('/status must be equal to one of the allowed values (got "bogus")');
    expect(messages).toContain('/credentials/password must be string (got [redacted])');
    expectNoSecret(errors);
  });

  it('redacts a secret header, whatever the case of its name', async () => {
    const client = createVaultClient(transport);
    const ok = { status: 'active', owner: 'alice', credentials: { username: 'alice', password: 'long-enough-password' } };
    const secret = (await client.createAccount.publish(ok, { headers: { 'X-Api-Key': SECRETS.header, 'x-api-key': SECRETS.header } }).catch((e: unknown) => e)) as ReportedError;
    const plain = (await client.createAccount.publish(ok, { headers: { 'x-api-key': 'key_ok', 'x-request-id': 'far-too-long-id' } }).catch((e: unknown) => e)) as ReportedError;
    expect(secret.issues).toEqual([expect.objectContaining({ pointer: '/x-api-key', keyword: 'pattern', value: '[redacted]' })]);
    expect(plain.issues).toEqual([expect.objectContaining({ pointer: '/x-request-id', keyword: 'maxLength', value: '"far-too-long-id"' })]);
    expectNoSecret([secret, plain]);
  });

  it('truncates a long offending value to one short line', async () => {
    const client = createVaultClient(transport);
    const error = (await client.createAccount.publish({ ...badAccount, owner: 12 as unknown as string, status: 'y'.repeat(500) }).catch((e: unknown) => e)) as ReportedError;
    const status = error.issues?.find((i) => i.pointer === '/status');
    expect(status?.value).toHaveLength(60);
    expect(status?.value?.endsWith('…')).toBe(true);
  });
});

describe('receive', () => {
  it('reports a payload failing validation with secrets redacted, to onError and to the default console log', async () => {
    const client = createVaultClient(transport);
    const errors: ReportedError[] = [];
    await client.channels.accounts.subscribe(() => undefined, { onError: (e) => void errors.push(e) });
    await client.createAccount.subscribe(() => undefined); // no onError: the default logs to the console
    await transport.publish('vault.accounts', raw(badAccount, { 'x-api-key': 'key_ok' }));
    await transport.publish('vault.accounts', raw({ ...goodAccount, profile: { pin: SECRETS.pin } }, { 'x-api-key': 'key_ok' }));
    await transport.idle();
    expect(errors).toHaveLength(2);
    // The first error only: the status comes first in the schema.
    expect(errors[0]?.message).toBe('accountCreated: invalid payload on receive: /status must be equal to one of the allowed values (got "bogus")');
    expect(errors[1]?.message).toContain('/profile/pin must match pattern "^[0-9]{4}$" (got [redacted])');
    const logged = consoleSpies.flatMap((s) => s.mock.calls.flat()).join('\n');
    expect(logged).toContain('(got "bogus")');
    expectNoSecret(errors);
  });

  it('redacts a field secret in one message of the channel in every candidate report', async () => {
    const client = createVaultClient(transport);
    const errors: ReportedError[] = [];
    await client.channels.keys.subscribe({}, { onError: (e) => void errors.push(e) });
    await transport.publish('vault.keys', raw({ keyId: 7, newKey: SECRETS.newKey, reason: 'bogus' }));
    await transport.publish('vault.keys', raw({ keyId: 7, reason: 'leaked' }));
    await transport.idle();
    expect(errors.map((e) => e.name)).toEqual(['UnknownMessageError', 'UnknownMessageError']);
    const revoked = (e: ReportedError | undefined) => e?.candidates?.find((c) => c.messageId === 'keyRevoked')?.issues ?? [];
    // keyRevoked does not know newKey, but keyRotated marks it secret: it stays hidden.
    expect(revoked(errors[0])).toEqual([expect.objectContaining({ pointer: '/newKey', message: 'is not allowed', value: '[redacted]' })]);
    // A plain offending value is shown.
    expect(revoked(errors[1])).toEqual([expect.objectContaining({ pointer: '/keyId', value: '7' })]);
    expectNoSecret(errors);
  });

  it('reports invalid JSON by position, without quoting the payload', async () => {
    const client = createVaultClient(transport);
    const errors: ReportedError[] = [];
    await client.channels.accounts.subscribe(() => undefined, { onError: (e) => void errors.push(e) });
    const text = `{"password": ${SECRETS.json}}`;
    await transport.publish('vault.accounts', raw(text));
    await transport.idle();
    expect(errors[0]?.name).toBe('DecodeError');
    expect(errors[0]?.message).toBe('cannot decode message on "vault.accounts": payload is not valid JSON (syntax error at position 13)');
    await transport.publish('vault.accounts', raw('{"password": "abc'));
    await transport.idle();
    expect(errors[1]?.message).toMatch(/payload is not valid JSON \(it ends early, at position 17\)$/);
    expectNoSecret(errors);
  });
});

describe('the JSON error position', () => {
  it.each([
    ['valid JSON', '{"a":[1,2,{"b":null}],"c":"\\u00e9"}', undefined],
    ['nothing', '', 0],
    ['a missing colon', '{"a" 1}', 5],
    ['a trailing comma in an array', '[1,]', 3],
    ['a trailing comma in an object', '{"a":1,}', 7],
    ['a second value', '1 2', 2],
    ['a bad escape', '"a\\x"', 3],
    ['a leading zero', '01', 1],
    ['a raw tab in a string', '"tab\there"', 4],
    ['deep nesting, unclosed', '['.repeat(100_000), 100_000],
  ])('agrees with JSON.parse on %s and names the position', (_name, text, want) => {
    expect(jsonErrorPosition(text)).toBe(want);
    if (want === undefined) expect(() => JSON.parse(text)).not.toThrow();
    else expect(() => JSON.parse(text)).toThrow();
  });
});

describe('the IAM client secret', () => {
  const client = { clientId: 'c1', secret: SECRETS.iam, twoFactorEnabled: 'yes' };

  it('is redacted on publish, while another offending field is shown', async () => {
    const iamClient = iam.createIAMServiceClientEventsClient(transport);
    // The validators stop at the first error, so each value offends in one place.
    const secret = { payload: { client: { ...client, twoFactorEnabled: true, secret: 42 } } } as unknown as iam.ClientCreated;
    const other = { payload: { client: { ...client } } } as unknown as iam.ClientCreated;
    const errors = await Promise.all([secret, other].map(async (p) => (await iamClient.clientCreated.publish(p).catch((e: unknown) => e)) as ReportedError));
    expect(errors.map((e) => e.issues)).toEqual([
      [expect.objectContaining({ pointer: '/payload/client/secret', keyword: 'type', value: '[redacted]' })],
      [expect.objectContaining({ pointer: '/payload/client/twoFactorEnabled', keyword: 'type', value: '"yes"' })],
    ]);
    expect(errors[0]?.message).not.toContain('42');
    expectNoSecret(errors);
  });

  it('is redacted on receive, also inside a value of the wrong shape', async () => {
    const iamClient = iam.createIAMServiceClientEventsClient(transport);
    const errors: ReportedError[] = [];
    await iamClient.channels.client.subscribe({}, { onError: (e) => void errors.push(e as ReportedError) });
    await transport.publish('client', raw({ name: 'clientCreated', payload: { client } }));
    await transport.publish('client', raw({ name: 'clientCreated', payload: { client: [{ secret: SECRETS.iam }] } }));
    await transport.publish('client', raw({ name: 'bogus', payload: { client } }));
    await transport.idle();
    expect(errors.map((e) => e.name)).toEqual(['ValidationError', 'ValidationError', 'UnknownMessageError']);
    expect(errors[0]?.message).toContain('/payload/client/twoFactorEnabled must be boolean (got "yes")');
    expect(errors[1]?.message).toContain('/payload/client must be object (got [{"secret":[redacted]}])');
    expect(errors[2]?.message).toContain('"name" is "bogus"');
    expectNoSecret(errors);
  });
});
