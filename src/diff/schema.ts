/**
 * Compares two resolved JSON Schemas (payloads, headers) keyword by keyword.
 *
 * Generated clients validate on publish AND on receive, so a change breaks one side whenever it
 * changes the set of valid messages: fewer valid messages (narrowed) break publishers that still
 * send the old shape; more valid messages (widened) break consumers built from the old spec,
 * whose validator rejects what it does not know. Only open-content additions and documentation
 * are safe.
 *
 * | change                                      | old publisher           | old consumer             | kind         |
 * |---------------------------------------------|-------------------------|--------------------------|--------------|
 * | property removed                            | -                       | reads a missing field    | breaking     |
 * | optional property added                     | -                       | ignores it               | non-breaking |
 * |   ... where additionalProperties was false  | -                       | rejects it               | breaking     |
 * | required property added / made required     | must now send it        | -                        | breaking     |
 * | property made optional                      | -                       | may not receive it       | breaking     |
 * | type, enum, const, format, pattern narrowed | old values rejected     | -                        | breaking     |
 * | type, enum, const, format, pattern widened  | -                       | new values rejected      | breaking     |
 * | min/max tightened                           | old values rejected     | -                        | breaking     |
 * | min/max loosened                            | -                       | new values rejected      | breaking     |
 * | additionalProperties closed / opened        | extra fields rejected   | extra fields rejected    | breaking     |
 * | title, description, examples, default, ...  | -                       | -                        | non-breaking |
 * | anything else (not, if/then, x-*, ...)      | cannot tell             | cannot tell              | unclassified |
 *
 * A new enum value is breaking on purpose: a consumer generated from the old spec rejects it in its
 * validator, and its code was written against the old string-literal union (an exhaustive
 * `switch` has no case for it).
 */
import type { Changes, Segments } from './change.js';
import { changedText, equal, isObject, show, specKeys, valueChange, type JsonObject } from './json.js';

/** Documentation only: never changes which messages are valid. */
const ANNOTATIONS = new Set(['title', 'description', 'examples', 'example', 'default', 'deprecated', 'readOnly', 'writeOnly', '$comment', 'externalDocs']);
/** Lower bounds tighten upwards, upper bounds downwards. */
const LOWER = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
/** Any change to these changes the valid set in a way not worth ordering: breaking. */
const EXACT = ['const', 'format', 'pattern', 'multipleOf', 'uniqueItems'];
const COMPOSITIONS = ['allOf', 'anyOf', 'oneOf'];
const HANDLED = new Set(['type', 'properties', 'required', 'enum', 'additionalProperties', 'items', ...LOWER, ...UPPER, ...EXACT, ...COMPOSITIONS]);

export function compareSchemas(before: unknown, after: unknown, at: Segments, out: Changes): void {
  new SchemaComparer(out).compare(before, after, at);
}

class SchemaComparer {
  /** Pairs being compared further up: recursive schemas stop here, shared ones are still reported at each use. */
  private readonly stack: [object, object][] = [];

  constructor(private readonly out: Changes) {}

  compare(before: unknown, after: unknown, at: Segments): void {
    const a = before === true || before === undefined ? {} : before;
    const b = after === true || after === undefined ? {} : after;
    if (equal(a, b)) return;
    if (!isObject(a) || !isObject(b)) {
      this.out.breaking(at, `schema ${changedText(before, after)}`);
      return;
    }
    if (this.stack.some(([x, y]) => x === a && y === b)) return;
    this.stack.push([a, b]);
    this.type(a, b, at);
    this.properties(a, b, at);
    this.enumeration(a, b, at);
    this.additionalProperties(a, b, at);
    this.bounds(a, b, at);
    for (const key of EXACT) if (!equal(a[key], b[key])) this.out.breaking([...at, key], valueChange(a[key], b[key]));
    this.items(a, b, at);
    for (const key of COMPOSITIONS) this.composition(key, a[key], b[key], [...at, key]);
    for (const key of union(specKeys(a), specKeys(b))) {
      if (HANDLED.has(key) || equal(a[key], b[key])) continue;
      this.out.add(ANNOTATIONS.has(key) ? 'non-breaking' : 'unclassified', [...at, key], valueChange(a[key], b[key]));
    }
    this.stack.pop();
  }

  private type(a: JsonObject, b: JsonObject, at: Segments): void {
    const ta = types(a);
    const tb = types(b);
    const accepts = (set: string[] | undefined, t: string): boolean => set === undefined || set.includes(t) || (t === 'integer' && set.includes('number'));
    const narrowed = ta === undefined ? tb !== undefined : ta.some((t) => !accepts(tb, t));
    const widened = tb === undefined ? ta !== undefined : tb.some((t) => !accepts(ta, t));
    if (!narrowed && !widened) return;
    const how = narrowed && widened ? 'changed' : narrowed ? 'narrowed' : 'widened';
    this.out.breaking([...at, 'type'], `type ${how} from ${typeText(ta)} to ${typeText(tb)}`);
  }

  private properties(a: JsonObject, b: JsonObject, at: Segments): void {
    const pa = isObject(a.properties) ? a.properties : {};
    const pb = isObject(b.properties) ? b.properties : {};
    const ra = required(a);
    const rb = required(b);
    for (const key of union(Object.keys(pa), Object.keys(pb))) {
      const where = [...at, 'properties', key];
      if (!(key in pb)) this.out.breaking(where, ra.has(key) ? 'required property removed' : 'property removed');
      else if (!(key in pa)) {
        if (rb.has(key)) this.out.breaking(where, 'required property added');
        else if (a.additionalProperties === false) this.out.breaking(where, 'property added where additionalProperties was false');
        else this.out.nonBreaking(where, 'optional property added');
      } else {
        if (!ra.has(key) && rb.has(key)) this.out.breaking(where, 'property is now required');
        if (ra.has(key) && !rb.has(key)) this.out.breaking(where, 'property is no longer required');
        this.compare(pa[key], pb[key], where);
      }
    }
    // Names required without a `properties` entry (say, listed beside an allOf) still bind publishers.
    for (const key of union([...ra], [...rb])) {
      if (key in pa || key in pb || ra.has(key) === rb.has(key)) continue;
      this.out.breaking([...at, 'required'], rb.has(key) ? `${show(key)} is now required` : `${show(key)} is no longer required`);
    }
  }

  private enumeration(a: JsonObject, b: JsonObject, at: Segments): void {
    compareEnums(a.enum, b.enum, [...at, 'enum'], this.out);
  }

  private additionalProperties(a: JsonObject, b: JsonObject, at: Segments): void {
    const va = a.additionalProperties;
    const vb = b.additionalProperties;
    const open = (v: unknown): boolean => v === undefined || v === true || (isObject(v) && specKeys(v).length === 0);
    if (equal(va, vb) || (open(va) && open(vb))) return;
    const where = [...at, 'additionalProperties'];
    if (isObject(va) && isObject(vb)) this.compare(va, vb, where);
    else if (vb === false) this.out.breaking(where, 'tightened to false: extra properties are now rejected');
    else if (va === false) this.out.breaking(where, 'loosened from false: consumers built from the old spec reject extra properties');
    else this.out.breaking(where, valueChange(va, vb));
  }

  private bounds(a: JsonObject, b: JsonObject, at: Segments): void {
    for (const key of [...LOWER, ...UPPER]) {
      const va = typeof a[key] === 'number' ? a[key] : undefined;
      const vb = typeof b[key] === 'number' ? b[key] : undefined;
      if (va === vb) continue;
      const lower = LOWER.includes(key);
      const tighter = va === undefined || (vb !== undefined && (lower ? vb > va : vb < va));
      const text = va === undefined ? `${vb} added` : vb === undefined ? `${va} removed` : `from ${va} to ${vb}`;
      this.out.breaking([...at, key], `${tighter ? 'tightened' : 'loosened'}: ${text}`);
    }
  }

  private items(a: JsonObject, b: JsonObject, at: Segments): void {
    if (equal(a.items, b.items)) return;
    if (Array.isArray(a.items) || Array.isArray(b.items)) this.composition('items', a.items, b.items, [...at, 'items']);
    else this.compare(a.items, b.items, [...at, 'items']);
  }

  /** Lists of schemas: compared index by index when the length holds, else by which schemas came and went. */
  private composition(key: string, la: unknown, lb: unknown, where: Segments): void {
    if (equal(la, lb)) return;
    const listA = Array.isArray(la) ? la : [];
    const listB = Array.isArray(lb) ? lb : [];
    if (listA.length === listB.length) {
      listA.forEach((s, i) => this.compare(s, listB[i], [...where, String(i)]));
      return;
    }
    const gone = listA.filter((x) => !listB.some((y) => equal(x, y))).length;
    const come = listB.filter((y) => !listA.some((x) => equal(x, y))).length;
    const plural = (n: number): string => `${n} schema${n === 1 ? '' : 's'}`;
    if (gone > 0 && come > 0) this.out.unclassified(where, `${key} changed from ${plural(listA.length)} to ${listB.length}; compare by hand`);
    else if (come > 0) this.out.breaking(where, `${plural(come)} added`);
    else this.out.breaking(where, `${plural(gone)} removed`);
  }
}

/** Both directions break someone (see the table above), so each value that came or went is its own line. */
export function compareEnums(ea: unknown, eb: unknown, where: Segments, out: Changes): void {
  if (equal(ea, eb)) return;
  if (!Array.isArray(ea)) return out.breaking(where, `enum added: only ${show(eb)} allowed`);
  if (!Array.isArray(eb)) return out.breaking(where, 'enum removed: any value allowed');
  for (const v of ea) if (!eb.some((w) => equal(v, w))) out.breaking(where, `value ${show(v)} removed`);
  for (const v of eb) if (!ea.some((w) => equal(v, w))) out.breaking(where, `value ${show(v)} added`);
}

function types(schema: JsonObject): string[] | undefined {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string').sort() : undefined;
}

function typeText(t: string[] | undefined): string {
  return t === undefined ? 'any' : t.join(' | ');
}

function required(schema: JsonObject): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((x): x is string => typeof x === 'string') : []);
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
