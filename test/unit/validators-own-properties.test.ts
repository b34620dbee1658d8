/**
 * The validators test for a property with `!== undefined`, Ajv's default, unless a schema of the
 * spec names a property every object inherits (`toString`, `constructor`, …): then only an own
 * property counts, or `data.toString` (the method) would satisfy `required` and be checked
 * against the property's schema. Both ways, the verdicts on parsed JSON are the schema's.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { namesPrototypeMember } from '../../src/validators/ajv.js';
import { generated } from '../support/generated.js';
import { ROOT } from '../support/specs.js';

const scratch = await mkdtemp(path.join(tmpdir(), 'codegen-own-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function specWith(name: string, payload: unknown): Promise<string> {
  const file = path.join(scratch, `${name}.json`);
  const spec = {
    asyncapi: '3.0.0',
    info: { title: name, version: '1.0.0' },
    channels: { events: { address: 'events', messages: { event: { name: 'Event', payload } } } },
    operations: { sendEvent: { action: 'send', channel: { $ref: '#/channels/events' }, messages: [{ $ref: '#/channels/events/messages/event' }] } },
  };
  await writeFile(file, JSON.stringify(spec));
  return file;
}

const parsed = (text: string): unknown => JSON.parse(text);

describe('which specs need own-property checks', () => {
  it('finds a prototype member named as a property, in required, in a nested schema or as a value', () => {
    expect(namesPrototypeMember({ A: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } })).toBe(false);
    expect(namesPrototypeMember({ A: { properties: { toString: { type: 'string' } } } })).toBe(true);
    expect(namesPrototypeMember({ A: { required: ['constructor'] } })).toBe(true);
    expect(namesPrototypeMember({ A: { items: [{ anyOf: [{ dependentRequired: { a: ['valueOf'] } }] }] } })).toBe(true);
    expect(namesPrototypeMember({ A: { discriminator: { propertyName: 'isPrototypeOf' } } })).toBe(true);
    expect(namesPrototypeMember({ A: { properties: { kind: { const: 'toLocaleString' } } } })).toBe(true);
  });
});

describe('verdicts on parsed JSON, with and without own-property checks', () => {
  it('a spec naming toString and valueOf: an object without them passes, their values are checked', async () => {
    const { validators } = await generated(path.join(ROOT, 'test', 'fixtures', 'valid', 'hostile.yaml'), 'own-properties/hostile');
    const validate = validators['validatePrototype']!;
    expect(validate(parsed('{}'))).toBe(true);
    expect(validate(parsed('{"toString":"x","valueOf":1}'))).toBe(true);
    expect(validate(parsed('{"toString":1}'))).toBe(false);
    expect(validate(parsed('{"valueOf":"1"}'))).toBe(false);
  });

  it('a spec requiring constructor: an object without it fails, with it passes', async () => {
    const spec = await specWith('requires-constructor', { type: 'object', required: ['constructor'], properties: { constructor: { type: 'string' } } });
    const { validators } = await generated(spec, 'own-properties/requires-constructor');
    const validate = validators['validateEvent']!;
    expect(validate(parsed('{}'))).toBe(false);
    expect(validate(parsed('{"constructor":"x"}'))).toBe(true);
    expect(validate(parsed('{"constructor":1}'))).toBe(false);
  });

  it('a spec with ordinary names: required, types, nested objects and additionalProperties as the schema says', async () => {
    const spec = await specWith('ordinary', {
      type: 'object',
      required: ['id', 'data'],
      additionalProperties: false,
      properties: { id: { type: 'string' }, data: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } },
    });
    const { validators } = await generated(spec, 'own-properties/ordinary');
    const validate = validators['validateEvent']!;
    expect(validate(parsed('{"id":"a","data":{"n":1}}'))).toBe(true);
    expect(validate(parsed('{"id":"a"}'))).toBe(false);
    expect(validate(parsed('{"id":"a","data":{}}'))).toBe(false);
    expect(validate(parsed('{"id":"a","data":{"n":"1"}}'))).toBe(false);
    expect(validate(parsed('{"id":"a","data":{"n":1},"extra":true}'))).toBe(false);
    // JSON.parse makes `__proto__` an own property; it is one more property, not the prototype.
    expect(validate(parsed('{"id":"a","data":{"n":1},"__proto__":{"x":1}}'))).toBe(false);
  });
});
