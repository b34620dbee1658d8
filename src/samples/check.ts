/**
 * Ajv over a spec's definitions, configured as the generated validators are (formats checked,
 * unknown formats accepted, union types allowed), so a sample that passes here passes there.
 * Properties must be own properties: `valueOf` in a schema is not satisfied by Object.prototype.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { IrSchemas } from '../ir/types.js';
import { escapeSegment as escapePointer } from '../pointer.js';
import { patternEngine, portableDefinitions } from '../validators/portable.js';

// ajv-formats is CommonJS: its `default` is the plugin under NodeNext.
const addFormats = addFormatsModule.default;

export interface Verdict {
  readonly ok: boolean;
  /** `/pointer message` per failure, empty when ok. */
  readonly issues: readonly string[];
}

export class SchemaCheck {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(schemas: IrSchemas) {
    // What the generated validators compile: foreign patterns translated or left out, `nullable` ignored.
    const portable = portableDefinitions(schemas.definitions);
    const { definitions } = portable;
    const regExp = patternEngine(portable);
    this.ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, inlineRefs: false, logger: false, ownProperties: true, ...(regExp ? { code: { regExp } } : {}) });
    addFormats(this.ajv);
    for (const format of formatsIn(definitions)) if (!(format in this.ajv.formats)) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ definitions }, 'spec');
  }

  /** Checks `value` against the named definition. */
  check(definition: string, value: unknown): Verdict {
    let validate = this.compiled.get(definition);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `spec#/definitions/${escapePointer(definition)}` });
      this.compiled.set(definition, validate);
    }
    if (validate(value)) return { ok: true, issues: [] };
    return { ok: false, issues: (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`) };
  }
}

function formatsIn(node: unknown, found = new Set<string>(), seen = new Set<object>()): Set<string> {
  if (typeof node !== 'object' || node === null || seen.has(node)) return found;
  seen.add(node);
  const format = (node as { format?: unknown }).format;
  if (typeof format === 'string') found.add(format);
  for (const value of Object.values(node)) formatsIn(value, found, seen);
  return found;
}
