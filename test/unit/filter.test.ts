/** filterIr over real specs: what the IR keeps, its warnings, and that no name changes with a filter. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/ir/normalise.js';
import { loadSpec } from '../../src/spec/load.js';
import { parseSpec } from '../../src/spec/parse.js';
import { FIXTURES_DIR, ROOT } from '../support/specs.js';

const REPLY = path.join(FIXTURES_DIR, 'reply.yaml');
const SHOP = path.join(ROOT, 'test', 'fixtures', 'filter', 'shop.yaml');

async function ir(file: string, filter?: readonly string[]) {
  return normalise(await parseSpec(await loadSpec(file)), { filter });
}

describe('filterIr', () => {
  it('drops the warnings about channels it leaves out, and keeps those about channels it keeps', async () => {
    const codes = async (filter?: readonly string[]) => (await ir(REPLY, filter)).diagnostics.map((d) => `${d.code} ${d.location?.pointer ?? ''}`);
    expect(await codes()).toContain('ambiguous-messages /channels/quoteReplies/messages');
    expect(await codes(['operation:requestQuote'])).toContain('ambiguous-messages /channels/quoteReplies/messages');
    expect(await codes(['operation:requestStock'])).not.toContain('ambiguous-messages /channels/quoteReplies/messages');
  });

  it('keeps a request with a dynamic reply address and its reply channel', async () => {
    const kept = await ir(REPLY, ['operation:requestStock']);
    expect(kept.operations.map((op) => op.id)).toEqual(['requestStock']);
    expect(kept.channels.map((c) => c.id)).toEqual(['stockRequests', 'stockReplies']);
    expect(kept.messages.map((m) => m.id)).toEqual(['stockRequest', 'stockReply']);
  });

  it('names nothing differently: every kept name is the one the unfiltered IR has', async () => {
    const all = await ir(SHOP);
    const some = await ir(SHOP, ['operation:placeOrder', 'channel:audit']);
    const names = (spec: typeof all) => [
      ...spec.messages.map((m) => `${m.id}=${m.constName}/${m.payload ?? ''}/${m.payloadValidator ?? ''}`),
      ...spec.channels.map((c) => `${c.id}=${c.constName}/${c.parametersType ?? ''}`),
      ...spec.operations.map((op) => `${op.id}=${op.key}`),
    ];
    expect(names(some).length).toBeGreaterThan(0);
    for (const name of names(some)) expect(names(all)).toContain(name);
    expect(some.clientType).toBe(all.clientType);
  });

  it('keeps the schemas the kept messages reach through $refs, in their order, and no other', async () => {
    const all = await ir(SHOP);
    const some = await ir(SHOP, ['operation:placeOrder']);
    expect([...some.schemas.definitions.keys()]).toEqual(['Order', 'Address']);
    expect(some.schemas.definitions.get('Order')).toEqual(all.schemas.definitions.get('Order'));
  });

  it('is the IR itself without patterns', async () => {
    const all = await ir(SHOP);
    const none = await ir(SHOP, []);
    expect(none.channels).toEqual(all.channels);
    expect([...none.schemas.definitions.keys()]).toEqual([...all.schemas.definitions.keys()]);
  });
});
