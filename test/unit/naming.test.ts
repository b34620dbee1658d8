import { describe, expect, it } from 'vitest';
import { NameScope, camelCase, fileName, pascalCase, propertyName } from '../../src/ir/naming.js';
import { commentText, jsdoc, literal, propertyKey } from '../../src/render/strings.js';

describe('the naming rule', () => {
  it.each([
    ['keeps inner capitals', { given: 'userSessionBegin', want: ['UserSessionBegin', 'userSessionBegin'] }],
    ['splits on separators', { given: 'user-session.begin', want: ['UserSessionBegin', 'userSessionBegin'] }],
    ['lowers a leading acronym in values', { given: 'IAM Service', want: ['IAMService', 'iamService'] }],
    ['prefixes a leading digit', { given: '2fa-enabled', want: ['_2faEnabled', '_2faEnabled'] }],
    ['makes reserved words safe', { given: 'delete', want: ['Delete', 'delete_'] }],
    ['makes prototype names safe', { given: 'constructor', want: ['Constructor', 'constructor_'] }],
    ['avoids globals as type names', { given: 'promise', want: ['Promise_', 'promise'] }],
    ['drops characters that cannot be in names', { given: '*/ alert(1) /*', want: ['Alert1', 'alert1'] }],
    ['keeps letters of other scripts', { given: 'ünïcödé wert', want: ['ÜnïcödéWert', 'ünïcödéWert'] }],
    ['falls back when nothing is left', { given: '***', want: ['Type', 'value'] }],
  ])('%s', (_name, { given, want }) => {
    expect([pascalCase(given), camelCase(given)]).toEqual(want);
  });

  it.each([
    ['delete', 'delete'],
    ['constructor', 'constructor_'],
    ['__proto__', 'proto'],
    ['user-created', 'userCreated'],
  ])('client property %s → %s (reserved words are fine after a dot)', (given, want) => {
    expect(propertyName(given)).toBe(want);
  });

  it('resolves collisions deterministically, first come first served, with a warning', () => {
    const scope = new NameScope('type');
    const names = ['user-created', 'user_created', 'userCreated'].map((raw) => scope.claim(pascalCase(raw), raw));
    expect(names).toEqual(['UserCreated', 'UserCreated2', 'UserCreated3']);
    expect(scope.warnings.map((w) => w.message)).toEqual([
      'type name "UserCreated" of user_created is already used by user-created; using "UserCreated2"',
      'type name "UserCreated" of userCreated is already used by user-created; using "UserCreated3"',
    ]);
  });

  it('treats names that differ only in case as a collision (case-insensitive disks)', () => {
    const scope = new NameScope('type');
    expect([scope.claim('Order', 'a'), scope.claim('ORDER', 'b')]).toEqual(['Order', 'ORDER2']);
  });

  it.each([
    ['User Sessions', 'user-sessions'],
    ['../../etc/passwd', 'etc-passwd'],
    ['', 'spec'],
  ])('file name of %j is %j', (given, want) => {
    expect(fileName(given)).toBe(want);
  });
});

describe('spec strings in code', () => {
  it.each([
    ['quotes and backslashes', 'a"b\\c', '"a\\"b\\\\c"'],
    ['template syntax stays text', '`${process.exit(1)}`', '"`${process.exit(1)}`"'],
    ['line separators are escaped', 'a\u2028b\u2029c', '"a\\u2028b\\u2029c"'],
  ])('literal: %s', (_name, given, want) => {
    expect(literal(given)).toBe(want);
    // biome-ignore lint/security/noGlobalEval: evaluating the literal is the test: it means exactly the string
    expect(eval(literal(given))).toBe(given);
  });

  it.each([
    ['an identifier stays bare', 'clientId', 'clientId'],
    ['other keys are quoted, wire name kept', 'content-type', '"content-type"'],
    ['__proto__ is computed so it stays an own key', '__proto__', '["__proto__"]'],
  ])('property key: %s', (_name, given, want) => {
    expect(propertyKey(given)).toBe(want);
  });

  it('keeps a hostile description inside its comment', () => {
    const doc = jsdoc({ description: 'ends */ here\u2028and `${x}`', deprecated: true });
    expect(doc).toBe('/**\n * ends *\\/ here\n * and `${x}`\n * @deprecated\n */\n');
    expect(commentText('*/')).not.toContain('*/');
  });
});
