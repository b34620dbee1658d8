/**
 * A validator that throws is a failed check, never an exception. Two real ways Ajv's compiled
 * code overflows the stack: Springwolf's recursive polymorphism (Pet oneOf [Dog], Dog allOf [Pet])
 * and any self-recursive schema given a deeply nested value. Each export of validators.ts answers
 * false with a `validator` error instead, and the generated client answers with a ValidationError
 * on publish and one `onError` call on receive, never a RangeError or a message redelivered until
 * it is dead-lettered. (runtime/validation.ts catches too, for validators of any other origin:
 * test/runtime/validation.test.ts.)
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
  /** The compiled code overflows whatever its compiler does: the value is deeper than any stack. */
  readonly alwaysThrows: boolean;
}

const CASES: Array<[string, Case]> = [
  // Springwolf's polymorphism overflows today; once schemas like it validate, the client must still agree with its validator.
  [
    'Springwolf polymorphism, {type: "Dog"}',
    { spec: 'springwolf-polymorphism.yaml', send: 'publishPet', receive: 'receivePet', address: 'pets', validator: 'validatePet', value: () => ({ type: 'Dog' }), alwaysThrows: false },
  ],
  [
    `a tree ${DEPTH} levels deep`,
    { spec: 'deep-tree.yaml', send: 'publishTree', receive: 'receiveTree', address: 'trees', validator: 'validateNode', value: () => JSON.parse(DEEP_TEXT), alwaysThrows: true },
  ],
];

type Validator = ((value: unknown) => boolean) & { errors?: ReadonlyArray<{ keyword: string; message?: string }> | null };

/** What the exported validator alone says: true, false, or that it failed (it must never throw). */
function verdict(validate: Validator | undefined, value: unknown): boolean | 'failed' {
  const ok = validate!(value);
  return !ok && validate!.errors?.[0]?.keyword === 'validator' ? 'failed' : ok;
}

const FAILED = { pointer: '', keyword: 'validator', message: expect.stringMatching(/^could not be checked: the validator failed \(RangeError: Maximum call stack size exceeded\)$/) };

describe.each(CASES)('%s', (_name, { spec, send, receive, address, validator, value, alwaysThrows }) => {
  const folder = `never-throw/${spec.replace(/\..*$/, '')}`;

  it('gives a verdict, never an exception: validators.ts answers false, publish rejects with a ValidationError echoing nothing', async () => {
    const { client, transport, index, validators } = await generated(path.join(FIXTURES, spec), `${folder}/publish`);
    expect(() => validators[validator]!(value())).not.toThrow();
    const ValidationError = index['ValidationError'] as new (...args: never[]) => Error;
    const said = verdict(validators[validator], value());
    const publish = client[send]!.publish(value());
    if (said === true) await expect(publish).resolves.toBeUndefined();
    else await expect(publish).rejects.toBeInstanceOf(ValidationError);
    if (said === 'failed') {
      await expect(publish).rejects.toMatchObject({ part: 'payload', issues: [FAILED] });
      await expect(publish).rejects.toThrow(/^\w+: invalid payload on publish: \(root\) could not be checked: the validator failed \(RangeError: Maximum call stack size exceeded\)$/);
    }
    if (alwaysThrows) expect(said).toBe('failed');
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
      if (said === 'failed') expect(errors[0]?.error).toMatchObject({ part: 'payload', issues: [FAILED] });
    }
    await transport.close();
  });
});
