/** `diffSpecs` over pairs of small specs: the base `test/fixtures/diff/orders.json` and a changed copy. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMarkdown, formatText } from '../../src/diff/format.js';
import { diffSpecs, type ChangeKind } from '../../src/diff/index.js';
import { parseSpec } from '../../src/spec/parse.js';
import { ROOT } from '../support/specs.js';

// Cases edit plain JSON copies of the fixture; typing every path would only repeat the fixture.
// biome-ignore lint/suspicious/noExplicitAny: the cases edit plain JSON at paths of their own
type Spec = any;
type Want = readonly [ChangeKind, string, string];

const P = '/channels/orders/messages/placed/payload';
const ORDER = (s: Spec): Spec => s.components.schemas.Order;
const PROPS = (s: Spec): Spec => ORDER(s).properties;

let base: Spec;
let before: AsyncAPIDocumentInterface;

async function parse(spec: Spec, file = 'new.json'): Promise<AsyncAPIDocumentInterface> {
  return (await parseSpec({ file, text: JSON.stringify(spec) })).document;
}

beforeAll(async () => {
  base = JSON.parse(await readFile(path.join(ROOT, 'test/fixtures/diff/orders.json'), 'utf8'));
  before = await parse(base, 'old.json');
});

describe('diffSpecs', () => {
  it.each<[string, (s: Spec) => void, Want[]]>([
    ['finds nothing in identical specs', () => {}, []],
    // Payload schemas (see src/diff/schema.ts for who each change breaks).
    ['property removed', (s) => delete PROPS(s).note, [['breaking', `${P}/properties/note`, 'property removed']]],
    [
      'required property removed',
      (s) => {
        delete PROPS(s).id;
        ORDER(s).required = ['status'];
      },
      [['breaking', `${P}/properties/id`, 'required property removed']],
    ],
    ['optional property added', (s) => (PROPS(s).coupon = { type: 'string' }), [['non-breaking', `${P}/properties/coupon`, 'optional property added']]],
    [
      'required property added',
      (s) => {
        PROPS(s).currency = { type: 'string' };
        ORDER(s).required.push('currency');
      },
      [['breaking', `${P}/properties/currency`, 'required property added']],
    ],
    ['property newly required', (s) => ORDER(s).required.push('note'), [['breaking', `${P}/properties/note`, 'property is now required']]],
    ['property no longer required', (s) => (ORDER(s).required = ['id']), [['breaking', `${P}/properties/status`, 'property is no longer required']]],
    ['type narrowed', (s) => (PROPS(s).total.type = 'integer'), [['breaking', `${P}/properties/total/type`, 'type narrowed from number to integer']]],
    ['type widened', (s) => (PROPS(s).note.type = ['string', 'null']), [['breaking', `${P}/properties/note/type`, 'type widened from string to null | string']]],
    [
      'type changed',
      (s) => (PROPS(s).code = { type: 'integer' }),
      [
        ['breaking', `${P}/properties/code/pattern`, 'removed (was "^[A-Z]+$")'],
        ['breaking', `${P}/properties/code/type`, 'type changed from string to integer'],
      ],
    ],
    ['enum value removed', (s) => (PROPS(s).status.enum = ['open']), [['breaking', `${P}/properties/status/enum`, 'value "paid" removed']]],
    // Deliberately breaking: old consumers' validators reject the new value (see schema.ts).
    ['enum value added', (s) => PROPS(s).status.enum.push('shipped'), [['breaking', `${P}/properties/status/enum`, 'value "shipped" added']]],
    ['const changed', (s) => (PROPS(s).kind.const = 'purchase'), [['breaking', `${P}/properties/kind/const`, 'changed from "order" to "purchase"']]],
    ['format changed', (s) => (PROPS(s).id.format = 'email'), [['breaking', `${P}/properties/id/format`, 'changed from "uuid" to "email"']]],
    ['pattern changed', (s) => (PROPS(s).code.pattern = '^[A-Z0-9]+$'), [['breaking', `${P}/properties/code/pattern`, 'changed from "^[A-Z]+$" to "^[A-Z0-9]+$"']]],
    ['additionalProperties tightened', (s) => (ORDER(s).additionalProperties = false), [['breaking', `${P}/additionalProperties`, 'tightened to false: extra properties are now rejected']]],
    [
      'additionalProperties loosened',
      (s) => delete PROPS(s).extra.additionalProperties,
      [['breaking', `${P}/properties/extra/additionalProperties`, 'loosened from false: consumers built from the old spec reject extra properties']],
    ],
    [
      'property added to a closed object',
      (s) => (PROPS(s).extra.properties.b = { type: 'string' }),
      [['breaking', `${P}/properties/extra/properties/b`, 'property added where additionalProperties was false']],
    ],
    [
      'bounds tightened',
      (s) => Object.assign(PROPS(s).total, { maximum: 500, exclusiveMinimum: 0 }),
      [
        ['breaking', `${P}/properties/total/exclusiveMinimum`, 'tightened: 0 added'],
        ['breaking', `${P}/properties/total/maximum`, 'tightened: from 1000 to 500'],
      ],
    ],
    [
      'bounds loosened',
      (s) => {
        delete PROPS(s).total.minimum;
        PROPS(s).note.maxLength = 200;
      },
      [
        ['breaking', `${P}/properties/note/maxLength`, 'loosened: from 100 to 200'],
        ['breaking', `${P}/properties/total/minimum`, 'loosened: 0 removed'],
      ],
    ],
    ['array items changed', (s) => (PROPS(s).tags.items.type = 'integer'), [['breaking', `${P}/properties/tags/items/type`, 'type changed from string to integer']]],
    [
      'anyOf alternative added',
      (s) => s.components.messages.cancelled.payload.properties.reason.anyOf.push({ type: 'integer' }),
      [['breaking', '/channels/orders/messages/cancelled/payload/properties/reason/anyOf', '1 schema added']],
    ],
    [
      'documentation only',
      (s) => {
        PROPS(s).note.description = 'anything';
        PROPS(s).note.examples = ['leave at the door'];
      },
      [
        ['non-breaking', `${P}/properties/note/description`, 'changed from "free text" to "anything"'],
        ['non-breaking', `${P}/properties/note/examples`, 'added ["leave at the door"]'],
      ],
    ],
    [
      'keywords without a rule',
      (s) => {
        PROPS(s).note['x-sensitive'] = true;
        PROPS(s).code.not = { const: 'X' };
      },
      [
        ['unclassified', `${P}/properties/code/not`, 'added {"const":"X"}'],
        ['unclassified', `${P}/properties/note/x-sensitive`, 'added true'],
      ],
    ],
    [
      'headers added where there were none (any headers were valid)',
      (s) => {
        s.components.messages.placed.headers = { type: 'object', required: ['traceId'], properties: { traceId: { type: 'string' } } };
      },
      [
        ['breaking', '/channels/orders/messages/placed/headers/properties/traceId', 'required property added'],
        ['breaking', '/channels/orders/messages/placed/headers/type', 'type narrowed from any to object'],
      ],
    ],
    ['payload removed (anything is valid)', (s) => delete s.channels.audit.messages.entry.payload, [['breaking', '/channels/audit/messages/entry/payload/type', 'type widened from string to any']]],
    // Messages, channels, operations, servers.
    [
      'message removed',
      (s) => {
        delete s.channels.orders.messages.cancelled;
        s.operations.sendOrder.messages.pop();
      },
      [
        ['breaking', '/channels/orders/messages/cancelled', 'message removed'],
        ['breaking', '/operations/sendOrder/messages', 'message "cancelled" removed'],
      ],
    ],
    [
      'message added (to an operation that takes all of its channel)',
      (s) => (s.channels.audit.messages.note = { payload: { type: 'string' } }),
      [
        ['non-breaking', '/channels/audit/messages/note', 'message added'],
        ['non-breaking', '/operations/onAudit/messages', 'message "note" added'],
      ],
    ],
    [
      'message documentation and bindings',
      (s) => {
        s.components.messages.placed.title = 'An order was placed';
        s.components.messages.placed.bindings = { nats: { bindingVersion: '0.1.0' } };
      },
      [
        ['non-breaking', '/channels/orders/messages/placed/title', 'changed from "Order placed" to "An order was placed"'],
        ['unclassified', '/channels/orders/messages/placed/bindings', 'added {"nats":{"bindingVersion":"0.1.0"}}'],
      ],
    ],
    [
      'content type changed',
      (s) => (s.components.messages.placed.contentType = 'text/plain'),
      [['breaking', '/channels/orders/messages/placed/contentType', 'content type changed from "application/json" to "text/plain"']],
    ],
    ['default content type spelled out (no message changes)', (s) => (s.defaultContentType = 'application/json'), [['non-breaking', '/defaultContentType', 'added "application/json"']]],
    [
      'channel and its operation removed',
      (s) => {
        delete s.channels.audit;
        delete s.operations.onAudit;
      },
      [
        ['breaking', '/channels/audit', 'channel removed'],
        ['breaking', '/operations/onAudit', 'operation removed'],
      ],
    ],
    [
      'channel and operation added',
      (s) => {
        s.channels.refunds = { address: 'refunds' };
        s.operations.onRefund = { action: 'receive', channel: { $ref: '#/channels/refunds' } };
      },
      [
        ['non-breaking', '/channels/refunds', 'channel added'],
        ['non-breaking', '/operations/onRefund', 'operation added'],
      ],
    ],
    ['address changed', (s) => (s.channels.orders.address = 'orders.v2.{region}'), [['breaking', '/channels/orders/address', 'changed from "orders.{region}" to "orders.v2.{region}"']]],
    [
      'parameter enum narrowed, description changed',
      (s) => {
        s.channels.orders.parameters.region = { enum: ['eu'], description: 'region' };
      },
      [
        ['breaking', '/channels/orders/parameters/region/enum', 'value "us" removed'],
        ['non-breaking', '/channels/orders/parameters/region/description', 'changed from "where the order was placed" to "region"'],
      ],
    ],
    [
      'parameter added',
      (s) => {
        s.channels.orders.address = 'orders.{region}.{shop}';
        s.channels.orders.parameters.shop = {};
      },
      [
        ['breaking', '/channels/orders/address', 'changed from "orders.{region}" to "orders.{region}.{shop}"'],
        ['breaking', '/channels/orders/parameters/shop', 'parameter added'],
      ],
    ],
    ['action changed', (s) => (s.operations.onAudit.action = 'send'), [['breaking', '/operations/onAudit/action', 'changed from "receive" to "send"']]],
    [
      'operation moved to another channel',
      (s) => (s.operations.onAudit.channel = { $ref: '#/channels/orders' }),
      [['breaking', '/operations/onAudit/channel', 'channel changed from "audit" to "orders"']],
    ],
    [
      'reply added to a send and to a receive operation',
      (s) => {
        s.operations.sendOrder.reply = { channel: { $ref: '#/channels/audit' } };
        s.operations.onAudit.reply = { channel: { $ref: '#/channels/audit' } };
      },
      [
        ['breaking', '/operations/sendOrder/reply', 'reply added: receivers built from the old spec do not answer'],
        ['non-breaking', '/operations/onAudit/reply', 'reply added'],
      ],
    ],
    [
      'channel moved to another server',
      (s) => (s.channels.audit.servers = [{ $ref: '#/servers/test' }]),
      [
        ['breaking', '/channels/audit/servers', 'no longer on server "prod"'],
        ['non-breaking', '/channels/audit/servers', 'now also on server "test"'],
      ],
    ],
    [
      'server removed (a channel that names no server was on it)',
      (s) => delete s.servers.test,
      [
        ['breaking', '/channels/orders/servers', 'no longer on server "test"'],
        ['breaking', '/servers/test', 'server removed'],
      ],
    ],
    [
      'info: version bump and documentation',
      (s) => {
        s.info.version = '1.1.0';
        s.info.description = 'Orders and their audit trail.';
      },
      [
        ['non-breaking', '/info/description', 'added "Orders and their audit trail."'],
        ['non-breaking', '/info/version', 'changed from "1.0.0" to "1.1.0"'],
      ],
    ],
  ])('%s', async (_name, change, want) => {
    const spec = structuredClone(base);
    change(spec);
    const changes = diffSpecs(before, await parse(spec));
    expect(changes.map((c) => [c.kind, c.pointer, c.message])).toEqual(want);
  });

  it('names the element of each change and orders breaking changes first, the same way every time', async () => {
    const spec = structuredClone(base);
    spec.info.version = '2.0.0';
    delete PROPS(spec).note;
    spec.operations.onAudit.action = 'send';
    const after = await parse(spec);
    const first = diffSpecs(before, after);
    expect(first).toEqual(diffSpecs(before, after));
    expect(first.map((c) => [c.kind, c.path])).toEqual([
      ['breaking', 'channels/orders/messages/placed'],
      ['breaking', 'operations/onAudit'],
      ['non-breaking', 'info'],
    ]);
  });

  it('reports a schema shared by two messages at each use, and stops at recursion', async () => {
    const node = { type: 'object', properties: { value: { type: 'string' }, next: { $ref: '#/components/schemas/Node' } } };
    const spec = (valueType: string): Spec => {
      const s = structuredClone(base);
      s.components.schemas.Node = { ...structuredClone(node), properties: { ...node.properties, value: { type: valueType } } };
      s.components.messages.placed.payload = { $ref: '#/components/schemas/Node' };
      s.components.messages.cancelled.payload = { $ref: '#/components/schemas/Node' };
      return s;
    };
    const changes = diffSpecs(await parse(spec('string'), 'old.json'), await parse(spec('integer')));
    expect(changes.map((c) => c.pointer)).toEqual(['/channels/orders/messages/cancelled/payload/properties/value/type', '/channels/orders/messages/placed/payload/properties/value/type']);
  });
});

describe('diff output', () => {
  const report = {
    before: 'a.yaml',
    after: 'b.yaml',
    changes: [{ kind: 'breaking' as const, pointer: '/channels/a|b/address', path: 'channels/a|b', message: 'changed from "x|y" to\n"z"' }],
  };

  it('keeps a Markdown table whole when a name or message holds a pipe or a line break', () => {
    expect(formatMarkdown(report).split('\n').at(-2)).toBe('| breaking | `channels/a\\|b/address` | changed from "x\\|y" to "z" |');
  });

  it('prints one line per change, even for a message with a line break, then a summary', () => {
    expect(formatText(report)).toBe('breaking      channels/a|b/address: changed from "x|y" to "z"\n\n1 change: 1 breaking, 0 non-breaking, 0 unclassified (a.yaml → b.yaml)\n');
  });
});
