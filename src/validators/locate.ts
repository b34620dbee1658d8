/**
 * Where a spec writes a given `pattern` (a `pattern` value or a `patternProperties` key): the
 * validators see hoisted copies of the schemas, but a warning must point at the line the user
 * wrote. Read only when some pattern needs a warning.
 */
import type { Location } from '../errors.js';
import type { SpecSource } from '../spec/load.js';
import { findKeywords } from '../spec/keywords.js';

export function locatePatterns(source: SpecSource, patterns: ReadonlySet<string>): Map<string, Location[]> {
  const found = new Map<string, Location[]>();
  const hits = findKeywords(source, (key, value, { parent, names }) =>
    names ? parent === 'patternProperties' && patterns.has(key) : key === 'pattern' && typeof value === 'string' && patterns.has(value),
  );
  for (const hit of hits) {
    const pattern = hit.key === 'pattern' && typeof hit.value === 'string' ? hit.value : hit.key;
    found.set(pattern, [...(found.get(pattern) ?? []), hit.location]);
  }
  return found;
}
