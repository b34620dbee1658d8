/** One reading of `$ref` targets for the ref policy, the cache key and watch. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRefs } from '../../src/spec/ref-policy.js';
import { classifyRef, localRefs } from '../../src/spec/refs.js';
import { OUT } from '../support/specs.js';

const DIR = path.join(OUT, 'refs');
const FROM = path.join(DIR, 'spec.yaml');

describe('classifyRef', () => {
  it.each([
    ['#/components/schemas/A', { kind: 'internal' }],
    ['schemas/a.yaml#/A', { kind: 'file', file: path.join(DIR, 'schemas', 'a.yaml') }],
    ['my%20schema.yaml', { kind: 'file', file: path.join(DIR, 'my schema.yaml') }],
    ['https://example.com/a.yaml', { kind: 'url' }],
    ['urn:x:y', { kind: 'url' }],
  ])('%s', (ref, want) => {
    expect(classifyRef(ref, FROM)).toEqual(want);
  });
});

describe('the files the cache hashes are the files the policy let through', () => {
  it('reads percent-encoded and file: URL refs the same way', async () => {
    await rm(DIR, { recursive: true, force: true });
    await mkdir(DIR, { recursive: true });
    const encoded = path.join(DIR, 'my schema.yaml');
    const viaUrl = path.join(DIR, 'other.yaml');
    await writeFile(encoded, 'type: string\n');
    await writeFile(viaUrl, 'type: integer\n');
    const text = `components:\n  schemas:\n    A:\n      $ref: 'my%20schema.yaml'\n    B:\n      $ref: '${pathToFileURL(viaUrl).href}'\n`;
    await writeFile(FROM, text);
    await expect(checkRefs(FROM, text, false)).resolves.toBeUndefined();
    expect(await localRefs(FROM)).toEqual([encoded, viaUrl].sort());
  });
});
