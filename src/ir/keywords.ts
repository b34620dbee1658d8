/**
 * The JSON Schema keywords that hold schemas (drafts 04 to 2020-12, as AsyncAPI documents write
 * them), in one table for every walker: the hoister, the redaction finder, the portable-pattern
 * pass and the keyword finder. Each says where its schema applies, so a walker that needs the
 * instance's location (redaction) and one that only needs every subschema (patterns) agree.
 */

/** Where a keyword's schema applies: to the same value, to its items or property values, to its keys, or as a negation. */
export type Applies = 'same' | 'children' | 'keys' | 'negation';

/** Keywords whose value is one schema. `items` is here when it is one schema; a draft-07 tuple is a list. */
export const SINGLE_SCHEMA: Readonly<Record<string, Applies>> = {
  additionalItems: 'children',
  additionalProperties: 'children',
  unevaluatedItems: 'children',
  unevaluatedProperties: 'children',
  contains: 'children',
  items: 'children',
  propertyNames: 'keys',
  not: 'negation',
  if: 'same',
  then: 'same',
  else: 'same',
};

/** Keywords whose value maps names to schemas: property names (a value's own location), patterns, or a dependency's name. */
export const SCHEMA_MAPS: Readonly<Record<string, 'named' | 'patterned' | 'same'>> = {
  properties: 'named',
  patternProperties: 'patterned',
  dependentSchemas: 'same',
  // Draft 07: a schema, or a list of required names.
  dependencies: 'same',
};

/** Keywords whose value is a list of schemas: alternatives for the same value, or positions of a tuple. */
export const SCHEMA_LISTS: Readonly<Record<string, 'same' | 'positions'>> = {
  allOf: 'same',
  anyOf: 'same',
  oneOf: 'same',
  prefixItems: 'positions',
  // Draft 07's tuple form of `items`.
  items: 'positions',
};

/** Keywords that hold schemas for `$ref`s to reach, applied to nothing by themselves. */
export const DEFINITION_MAPS = ['$defs', 'definitions'] as const;

/** Keywords whose keys are names, not keywords: every schema map and definitions container. */
export const NAME_KEYS: ReadonlySet<string> = new Set([...Object.keys(SCHEMA_MAPS), ...DEFINITION_MAPS]);
