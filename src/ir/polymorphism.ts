/**
 * Springwolf's and Jackson's polymorphism: a parent `oneOf`s its subtypes while each subtype
 * `allOf`s the parent. Read as JSON Schema that is infinite recursion (Pet → Dog → Pet → …); what
 * OpenAPI and Springwolf mean is that the subtype extends the parent's own fields. The hoister
 * splits such a parent into its own fields (a `…Base` definition the subtypes extend) and the
 * choice among its subtypes.
 */
type SchemaObject = { [keyword: string]: unknown };

function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const VARIANT_KEYWORDS = ['oneOf', 'anyOf'] as const;

/** Parent → its subtypes (members of its `oneOf`/`anyOf` whose `allOf` lists the parent itself). */
export function findHierarchies(nodes: Iterable<object>): Map<object, Set<object>> {
  const out = new Map<object, Set<object>>();
  for (const parent of nodes) {
    if (!isSchemaObject(parent)) continue;
    for (const key of VARIANT_KEYWORDS) {
      const members: unknown = parent[key];
      if (!Array.isArray(members)) continue;
      for (const member of members as unknown[]) {
        if (!isSchemaObject(member) || !Array.isArray(member.allOf) || !member.allOf.includes(parent)) continue;
        let children = out.get(parent);
        if (!children) out.set(parent, (children = new Set()));
        children.add(member);
      }
    }
  }
  return out;
}

/** The keywords of a parent that list its subtypes: what its base leaves out. */
export function variantKeywords(parent: SchemaObject, children: ReadonlySet<object>): Array<(typeof VARIANT_KEYWORDS)[number]> {
  return VARIANT_KEYWORDS.filter((key) => {
    const members = parent[key];
    return Array.isArray(members) && members.some((m) => isSchemaObject(m) && children.has(m));
  });
}

/** The parent's own fields: everything but the lists of its subtypes. */
export function baseOf(parent: SchemaObject, children: ReadonlySet<object>): SchemaObject {
  const drop = new Set<string>(variantKeywords(parent, children));
  return Object.fromEntries(Object.entries(parent).filter(([key]) => !drop.has(key) && key !== 'examples' && key !== 'example'));
}
