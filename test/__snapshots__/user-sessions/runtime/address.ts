/**
 * Channel addresses with `{parameter}` placeholders: filled on publish, matched on receive, and
 * turned into each broker's wildcard syntax on subscribe.
 */

export type AddressPart = { readonly literal: string } | { readonly parameter: string };

export interface AddressPattern {
  /** The template as the spec wrote it, e.g. `tenants/{tenantId}/orders`. */
  readonly template: string;
  /** Literal text and parameters in order; parameters pinned by the subscriber are literals here. */
  readonly parts: readonly AddressPart[];
  /** True when `address` is one this pattern covers; yields the parameter values. */
  match(address: string): Readonly<Record<string, string>> | undefined;
  /**
   * The pattern with each free parameter replaced by `wildcard`. A parameter that shares its
   * segment (between `separator`s) with other text widens to the whole segment; `match` narrows it.
   */
  toWildcard(separator: string, wildcard: string): string;
}

export class AddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddressError';
  }
}

export function parseAddress(template: string): AddressPart[] {
  const parts: AddressPart[] = [];
  const re = /\{([^{}]+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    if (m.index > last) parts.push({ literal: template.slice(last, m.index) });
    parts.push({ parameter: m[1] ?? '' });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push({ literal: template.slice(last) });
  return parts;
}

/** Characters a parameter value may not contain: separators of the template and broker wildcards. */
function forbidden(template: string): string[] {
  const literalText = parseAddress(template)
    .map((p) => ('literal' in p ? p.literal : ''))
    .join('');
  return ['*', '>', '#', '+', '{', '}', ...['.', '/', ':'].filter((c) => literalText.includes(c))];
}

function checkValue(template: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new AddressError(`parameter "${name}" of "${template}" needs a non-empty value`);
  const found = forbidden(template).find((c) => value.includes(c));
  if (found !== undefined) throw new AddressError(`parameter "${name}" of "${template}" may not contain "${found}" (got ${JSON.stringify(value)})`);
  return value;
}

export function fillAddress(template: string, values: Readonly<Record<string, string | undefined>>): string {
  if (!template.includes('{')) return template; // no parameters: nothing to fill or check, on every publish
  return parseAddress(template)
    .map((part) => ('literal' in part ? part.literal : checkValue(template, part.parameter, values[part.parameter])))
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern for subscribing; `pinned` fixes some parameters to one value. */
export function addressPattern(template: string, pinned: Readonly<Record<string, string | undefined>> = {}): AddressPattern {
  const raw = parseAddress(template);
  const parts: AddressPart[] = raw.map((p) => {
    if ('literal' in p) return p;
    const value = pinned[p.parameter];
    return value === undefined ? p : { literal: checkValue(template, p.parameter, value) };
  });
  const names: string[] = [];
  const valueClass = `[^${forbidden(template)
    .map((c) => `\\${c}`)
    .join('')}]+`;
  const source = parts
    .map((p) => {
      if ('literal' in p) return escapeRegExp(p.literal);
      names.push(p.parameter);
      return `(${valueClass})`;
    })
    .join('');
  const regex = new RegExp(`^${source}$`);
  const pinnedNames = raw.flatMap((p) => ('parameter' in p && pinned[p.parameter] !== undefined ? [p.parameter] : []));
  // Nothing left free (the common case): the address is the literal text, compared without a regex.
  const fixed = names.length === 0 ? parts.map((p) => ('literal' in p ? p.literal : '')).join('') : undefined;
  return {
    template,
    parts,
    match(address) {
      const out: Record<string, string> = {};
      if (fixed !== undefined) {
        if (address !== fixed) return undefined;
      } else {
        const m = regex.exec(address);
        if (!m) return undefined;
        for (let i = 0; i < names.length; i++) out[names[i] as string] = m[i + 1] ?? '';
      }
      for (const name of pinnedNames) out[name] = pinned[name] ?? '';
      return out;
    },
    toWildcard(separator, wildcard) {
      const text = parts.map((p) => ('literal' in p ? p.literal : '\u0000')).join('');
      return text
        .split(separator)
        .map((segment) => (segment.includes('\u0000') ? wildcard : segment))
        .join(separator);
    },
  };
}
