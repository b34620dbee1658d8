/**
 * A validator that throws is a failed check, never an exception. Two real ways Ajv's compiled
 * code overflows the stack: Springwolf's recursive polymorphism (Pet oneOf [Dog], Dog allOf [Pet])
 * and any self-recursive schema given a deeply nested value. Either way the generated client must
 * answer with a ValidationError on publish and one `onError` call on receive, never a RangeError
 * or a message redelivered until it is dead-lettered.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generated, json } from './support/generated.js';
import { ROOT } from './support/specs.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'robust');
const DEPTH = 20_000;
/** Built as text: JSON.stringify itself would overflow on a value this deep. */
const DEEP_TEXT = `${'{"children":['.repeat(DEPTH)}{}${']}'.repeat(DEPTH)}`;

interface Case {
  readonly spec: string;
  readonly send: string;
  readonly receive: string;
  readonly address: string;
  readonly validator: string;
  readonly value: () => unknown;
  /** The validator overflows whatever its compiler does: the value is deeper than any stack. */
  readonly alwaysThrows: boolean;
}

const CASES: Array<[string, Case]> = [
  // Springwolf's polymorphism overflows today; once schemas like it validate, the client must still agree with its validator.
  ['Springwolf polymorphism, {type: "Dog"}', { spec: 'springwolf-polymorphism.yaml', send: 'publishPet', receive: 'receivePet', address: 'pets', validator: 'validatePet', value: () => ({ type: 'Dog' }), alwaysThrows: false }],
  [`a tree ${DEPTH} levels deep`, { spec: 'deep-tree.yaml', send: 'publishTree', receive: 'receiveTree', address: 'trees', validator: 'validateNode', value: () => JSON.parse(DEEP_TEXT), alwaysThrows: true }],
];

/** What the compiled validator alone says: true, false, or that it threw. */
function verdict(validate: ((value: unknown) => boolean) | undefined, value: unknown): boolean | 'throws' {
  try {
    return validate!(value);
  } catch {
    return 'throws';
  }
}

const FAILED = { pointer: '', keyword: 'validator', message: expect.stringMatching(/^could not be checked: the validator failed \(RangeError: Maximum call stack size exceeded\)$/) };

describe.each(CASES)('%s', (_name, { spec, send, receive, address, validator, value, alwaysThrows }) => {
  const folder = `never-throw/${spec.replace(/\..*$/, '')}`;

  it('rejects the publish with a ValidationError when the validator throws, echoing nothing', async () => {
    const { client, transport, index, validators } = await generated(path.join(FIXTURES, spec), `${folder}/publish`);
    const ValidationError = index['ValidationError'] as new (...args: never[]) => Error;
    const said = verdict(validators[validator], value());
    const publish = client[send]!.publish(value());
    if (said === true) await expect(publish).resolves.toBeUndefined();
    else await expect(publish).rejects.toBeInstanceOf(ValidationError);
    if (said === 'throws') {
      await expect(publish).rejects.toMatchObject({ part: 'payload', issues: [FAILED] });
      await expect(publish).rejects.toThrow(/^\w+: invalid payload on publish: \(root\) could not be checked: the validator failed \(RangeError: Maximum call stack size exceeded\)$/);
    }
    if (alwaysThrows) expect(said).toBe('throws');
    await transport.close();
  });

  it('hands a received message to onError once, never to redelivery or the dead-letter callback', async () => {
    const { client, transport, index, validators } = await generated(path.join(FIXTURES, spec), `${folder}/receive`);
    const ValidationError = index['ValidationError'] as new (...args: never[]) => Error;
    const said = verdict(validators[validator], value());
    const errors: Array<{ error: unknown; attempt: number }> = [];
    const handled: unknown[] = [];
    const deadLetters: unknown[] = [];
    await client[receive]!.subscribe(() => void handled.push(true), {
      onError: (error: unknown, message: { deliveryAttempt: number }) => void errors.push({ error, attempt: message.deliveryAttempt }),
      onDeadLetter: (message: unknown) => void deadLetters.push(message),
    });
    const text = spec === 'deep-tree.yaml' ? DEEP_TEXT : JSON.stringify(value());
    await transport.publish(address, { ...json(null), payload: new TextEncoder().encode(text) });
    await transport.idle();
    expect(deadLetters).toEqual([]);
    if (said === true) {
      expect(handled).toEqual([true]);
      expect(errors).toEqual([]);
    } else {
      expect(handled).toEqual([]);
      expect(errors.map((e) => e.attempt)).toEqual([1]);
      expect(errors[0]?.error).toBeInstanceOf(ValidationError);
      if (said === 'throws') expect(errors[0]?.error).toMatchObject({ part: 'payload', issues: [FAILED] });
    }
    await transport.close();
  });
});
