/**
 * What the models say, read as text: the shapes users see in their editor. test/differential.test.ts
 * checks that they agree with the validators; this table pins how each case is written.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../src/generate.js';
import { FIXTURES_DIR, ROOT } from './support/specs.js';

const models = new Map<string, Promise<string>>();

function modelsOf(spec: string, style: 'interface' | 'type' = 'interface'): Promise<string> {
  const key = `${spec}:${style}`;
  let text = models.get(key);
  if (!text) {
    text = generateFiles(path.join(ROOT, spec), { modelStyle: style }).then(({ files }) => files.get('models.ts') ?? '');
    models.set(key, text);
  }
  return text;
}

const SHAPES = path.relative(ROOT, path.join(FIXTURES_DIR, 'type-shapes.yaml'));

describe('models', () => {
  it.each([
    ['named fields beside additionalProperties keep an index signature', { spec: SHAPES, want: 'export interface ShapeReportedLabels {\n  primary?: string;\n  [key: string]: string;\n}' }],
    ['a closed 2020-12 tuple is a tuple', { spec: SHAPES, want: '  point?: [number, number];' }],
    ['an open tuple lets items be missing and more follow', { spec: SHAPES, want: '  pair?: [string?, number?, ...unknown[]];' }],
    ['a draft-07 tuple requires the items up to minItems', { spec: SHAPES, want: '  legacy?: [number, number, ...unknown[]];' }],
    ['object keywords on a string leave it a string', { spec: SHAPES, want: '  code?: string;' }],
    ['an array of a nullable type', { spec: SHAPES, want: '  scores?: (number | null)[];' }],
    ['a message allOf an envelope extends it, narrowing the field it pins', { spec: SHAPES, want: 'export interface ShapeRemoved extends Omit<Envelope, "kind"> {\n  kind: "removed";' }],
    [
      'the CloudEvents envelope of user-sessions is referenced, not copied',
      { spec: 'specs/user-sessions.asyncapi.json', want: 'export interface UserSessionBegin extends Omit<CloudEventsContextAttributes, "type">, CloudEventsQlikExtensionsAttributes {' },
    ],
    ['the IAM Event envelope is referenced, not copied', { spec: 'specs/iam-client-events.asyncapi.yaml', want: 'export interface ClientCreated extends Omit<Event, "name"> {' }],
  ])('%s', async (_name, { spec, want }) => {
    expect(await modelsOf(spec)).toContain(want);
  });

  it('writes the same bases as an intersection in the type-alias style', async () => {
    const text = await modelsOf(SHAPES, 'type');
    expect(text).toContain('export type ShapeRemoved = Omit<Envelope, "kind"> & {\n  kind: "removed";');
  });

  it("keeps no copy of the envelope's fields in the message models", async () => {
    const iam = await modelsOf('specs/iam-client-events.asyncapi.yaml');
    const clientCreated = /export interface ClientCreated extends[^{]*\{([^}]*)\}/.exec(iam)?.[1] ?? '';
    expect(clientCreated).toMatch(/^  name\?: "clientCreated";$/m);
    expect(clientCreated).not.toMatch(/^\s+(id|version|namespace|timestamp)\??:/m);
  });
});
