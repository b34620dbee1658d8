import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../src/generate.js';
import { resolveLeftoverRefs } from '../../src/spec/leftover-refs.js';
import { FIXTURES_DIR } from '../support/specs.js';

describe('refs @asyncapi/parser leaves unresolved under keys such as `constructor`', () => {
  it('are replaced by the very object they point at, through chains, and loops are left alone', () => {
    const target = { type: 'string' };
    const doc: Record<string, unknown> = {
      components: { schemas: { A: target, B: { $ref: '#/components/schemas/A' }, L1: { $ref: '#/components/schemas/L2' }, L2: { $ref: '#/components/schemas/L1' } } },
      channels: { constructor: { messages: { m: { $ref: '#/components/schemas/B', 'x-parser-unique-object-id': 'm' }, other: { $ref: '#/nowhere' } } } },
    };
    expect(resolveLeftoverRefs(doc)).toBe(2);
    const messages = (doc['channels'] as { constructor: { messages: Record<string, unknown> } }).constructor.messages;
    expect(messages['m']).toBe(target);
    expect(messages['other']).toEqual({ $ref: '#/nowhere' });
  });

  it('no longer cost the messages of a channel named `constructor` their payload types', async () => {
    const { ir, files } = await generateFiles(path.join(FIXTURES_DIR, 'reserved.yaml'));
    const byId = new Map(ir.messages.map((m) => [m.id, m]));
    expect(byId.get('constructor')?.payload).toBe('Constructor');
    expect(byId.get('toString')?.payload).toBe('ToString');
    expect(files.get('client.ts')).not.toContain('acceptAnything');
  });
});
