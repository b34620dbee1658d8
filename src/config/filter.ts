/**
 * The syntax of a `filter` pattern, apart from matching it: the config check and the flag parser
 * read it at start-up, the normaliser matches it (src/ir/filter.ts).
 *
 *   channel:user/*     channels whose id or address matches the glob
 *   operation:on*      operations whose id matches
 *   *Debug*            either
 *   !…                 the same, excluded
 */

export const FILTER_KINDS = ['channel', 'operation'] as const;
export type FilterKind = (typeof FILTER_KINDS)[number];

export interface FilterPattern {
  /** The pattern as written, for messages. */
  readonly text: string;
  readonly exclude: boolean;
  /** undefined: the glob applies to channels and operations alike. */
  readonly kind: FilterKind | undefined;
  readonly glob: string;
}

export const FILTER_EXAMPLE = '["channel:user/*", "operation:onOrder*", "!*Debug*"]';

/** The pattern, or why it is not one. */
export function parseFilterPattern(text: string): FilterPattern | { readonly error: string } {
  const exclude = text.startsWith('!');
  const rest = exclude ? text.slice(1) : text;
  const match = /^([a-z]+):(.*)$/s.exec(rest);
  const prefix = match?.[1];
  const kind = FILTER_KINDS.find((k) => k === prefix);
  // `user/*:x` or an address with a colon stays a glob: only a known kind is a prefix.
  const glob = kind === undefined ? rest : (match?.[2] ?? '');
  if (glob.trim() === '') return { error: `filter pattern ${JSON.stringify(text)} has no name or glob` };
  return { text, exclude, kind, glob };
}
