/**
 * Springwolf's and Jackson's polymorphism (the parent oneOfs its subtypes, each subtype allOfs the
 * parent): validators that answer instead of overflowing the stack, and models that keep the
 * parent's fields, for a hand-written fixture and a document Springwolf itself produced.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSet } from '../src/emit/write.js';
import { generateFiles } from '../src/generate.js';
import { FIXTURES_DIR, OUT, ROOT } from './support/specs.js';

const DIR = path.join(OUT, 'polymorphism');
const SPRINGWOLF = 'IoGithubSpringwolfCoreIntegrationtestsApplicationPolymorphicPolymorphicPayloadApplication';
const SPECS = {
  polymorphism: path.join(FIXTURES_DIR, 'polymorphism.yaml'),
  springwolf: path.join(ROOT, 'test', 'fixtures', 'springwolf', 'polymorphic.json'),
} as const;

type Validate = (value: unknown) => boolean;
const models: Record<string, string> = {};

async function validators(name: keyof typeof SPECS): Promise<Record<string, Validate>> {
  return (await import(path.join(DIR, name, 'validators.ts'))) as Record<string, Validate>;
}

beforeAll(async () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    const { files } = await generateFiles(spec);
    models[name] = files.get('models.ts') ?? '';
    await writeFileSet(path.join(DIR, name), files);
  }
});

describe('a parent that oneOfs subtypes which allOf it', () => {
  it.each([
    ['a dog', { given: { type: 'Dog', bark: true }, want: true }],
    ['the minimal case of the issue', { given: { type: 'Dog' }, want: true }],
    ['a cat', { given: { type: 'Cat', name: 'Tom', lives: 9 }, want: true }],
    ['a bark that is not a boolean', { given: { type: 'Dog', bark: 'x' }, want: false }],
    ['a parent field of the wrong type', { given: { type: 'Dog', name: 5 }, want: false }],
    ['no discriminator value (the parent requires it)', { given: { bark: true }, want: false }],
    ['a value no subtype accepts', { given: { type: 'Cat', lives: 10, bark: 1 }, want: false }],
    // The spec names no discriminator values (the AsyncAPI `discriminator` is a property name only),
    // so a value is valid when some subtype accepts it, as the union type says.
    ['a cat with too many lives, which is still a valid dog', { given: { type: 'Cat', lives: 10 }, want: true }],
  ])('validates %s without throwing', async (_name, { given, want }) => {
    const { validatePet } = await validators('polymorphism');
    expect(validatePet?.(given)).toBe(want);
  });

  it("validates a subtype on its own with its parent's fields", async () => {
    const { validateDog } = await validators('polymorphism');
    expect([validateDog?.({ type: 'Dog', bark: true }), validateDog?.({ bark: true }), validateDog?.({ type: 'Dog', bark: 'x' })]).toEqual([true, false, false]);
  });

  it.each([
    ['a sports car', { given: { kind: 'car', doors: 2, topSpeed: 250 }, want: true }],
    ['a field of the middle level of the wrong type', { given: { kind: 'car', doors: 'two' }, want: false }],
    ['a field of the lowest level out of range', { given: { kind: 'car', topSpeed: 600 }, want: false }],
    ['no field of the top level', { given: { doors: 2 }, want: false }],
  ])('validates two levels of subtypes: %s', async (_name, { given, want }) => {
    const { validateVehicleBase } = await validators('polymorphism');
    expect(validateVehicleBase?.(given)).toBe(want);
  });

  it('types two levels, and names the fields of a parent called …Base without doubling the word', () => {
    const text = models.polymorphism ?? '';
    expect(text).toContain('export type VehicleBase = VehicleBaseFields & Car;');
    expect(text).toContain('export type Car = CarBase & SportsCar;');
    expect(text).toContain('export interface CarBase extends VehicleBaseFields {');
    expect(text).toContain('export interface SportsCar extends CarBase {');
  });

  it('types the parent as its own fields and one of its subtypes, each subtype extending those fields', () => {
    const text = models.polymorphism ?? '';
    expect(text).toContain('export type Pet = PetBase & (Dog | Cat);');
    expect(text).toMatch(/export interface PetBase \{\n {2}type: string;\n {2}name\?: string;\n\}/);
    expect(text).toMatch(/export interface Dog extends PetBase \{\n {2}bark\?: boolean;\n\}/);
    expect(text).toMatch(/export interface Cat extends PetBase \{\n {2}lives: number;\n\}/);
  });
});

describe("Springwolf's own polymorphic document", () => {
  it.each([
    ['its own example', { given: { pet: { dogSpecificField: 'string', type: 'string' } }, want: true }],
    ['a cat', { given: { pet: { type: 'Cat', catSpecificField: 'purr' } }, want: true }],
    ["two subtypes' fields of the wrong type", { given: { pet: { type: 'Dog', dogSpecificField: 1, catSpecificField: 2 } }, want: false }],
    ['a discriminator that is not a string', { given: { pet: { type: 5 } }, want: false }],
    ['a pet that is not an object', { given: { pet: 'Dog' }, want: false }],
  ])('validates %s without throwing', async (_name, { given, want }) => {
    const validate = (await validators('springwolf'))[`validate${SPRINGWOLF}Payload`];
    expect(validate?.(given)).toBe(want);
  });

  it("keeps the pet's fields on both subtypes", () => {
    const text = models.springwolf ?? '';
    expect(text).toContain(`export type ${SPRINGWOLF}Pet = ${SPRINGWOLF}PetBase & (${SPRINGWOLF}Dog | ${SPRINGWOLF}Cat);`);
    expect(text).toContain(`export interface ${SPRINGWOLF}Dog extends ${SPRINGWOLF}PetBase {`);
    expect(text).toContain(`export interface ${SPRINGWOLF}Cat extends ${SPRINGWOLF}PetBase {`);
  });
});
