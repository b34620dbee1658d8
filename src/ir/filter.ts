/**
 * The `filter` option: which channels and operations the client keeps. Applied to the finished IR,
 * so every name stays what it is without a filter (filtering never renames anything).
 *
 * - An operation is kept when it, or its channel, matches an include (or there is no include),
 *   and nothing excludes it. Exclude wins: excluding a channel drops the operations on it and
 *   those that reply on it.
 * - A channel is kept when a kept operation sends, receives or replies on it, or an include names
 *   it (then it keeps its all-messages endpoint even with no operation), or, with no include, when
 *   the spec has no operation on it at all; never when excluded.
 * - Messages are those of the kept channels and operations; models and validators only those the
 *   kept messages reach.
 * - A pattern that matches nothing in the spec is an error, as is a filter that keeps nothing.
 */
import picomatch from 'picomatch';
import { distance } from '../config/validate.js';
import { type FilterPattern, parseFilterPattern } from '../config/filter.js';
import { CodegenError } from '../errors.js';
import { pointerOf } from '../pointer.js';
import type { IrChannel, IrOperation, IrSpec, JsonSchema } from './types.js';

interface Matcher extends FilterPattern {
  readonly test: (name: string) => boolean;
}

function matchers(patterns: readonly string[]): Matcher[] {
  return patterns.map((text) => {
    const parsed = parseFilterPattern(text);
    if ('error' in parsed) throw new CodegenError({ code: 'bad-filter', message: parsed.error, hint: 'e.g. "channel:user/*", "operation:on*" or "!*Debug*"' });
    return { ...parsed, test: picomatch(parsed.glob, { dot: true }) };
  });
}

const onChannel = (m: Matcher, c: IrChannel): boolean => m.kind !== 'operation' && (m.test(c.id) || m.test(c.address));
const onOperation = (m: Matcher, op: IrOperation): boolean => m.kind !== 'channel' && m.test(op.id);

/** The IR with only what `patterns` keep; the IR itself when there are none. */
export function filterIr(ir: IrSpec, patterns: readonly string[] | undefined): IrSpec {
  if (patterns === undefined || patterns.length === 0) return ir;
  const all = matchers(patterns);
  unmatched(ir, all);
  const includes = all.filter((m) => !m.exclude);
  const excludes = all.filter((m) => m.exclude);
  const channels = new Map(ir.channels.map((c) => [c.id, c] as const));
  const excluded = (id: string | undefined): boolean => {
    const c = id === undefined ? undefined : channels.get(id);
    return c !== undefined && excludes.some((m) => onChannel(m, c));
  };
  const operations = ir.operations.filter((op) => {
    const channel = channels.get(op.channel);
    const included = includes.length === 0 || includes.some((m) => onOperation(m, op) || (channel !== undefined && onChannel(m, channel)));
    return included && !excludes.some((m) => onOperation(m, op)) && !excluded(op.channel) && !excluded(op.reply?.channel);
  });
  const usedBy = (ops: readonly IrOperation[]) => new Set(ops.flatMap((op) => [op.channel, ...(op.reply?.channel !== undefined ? [op.reply.channel] : [])]));
  const used = usedBy(operations);
  const usedInSpec = usedBy(ir.operations);
  const kept = ir.channels.filter((c) => !excluded(c.id) && (used.has(c.id) || includes.some((m) => onChannel(m, c)) || (includes.length === 0 && !usedInSpec.has(c.id))));
  if (kept.length === 0 && operations.length === 0) {
    throw new CodegenError({
      code: 'filter-keeps-nothing',
      message: `the filter ${patterns.map((p) => JSON.stringify(p)).join(', ')} leaves no channel and no operation of ${ir.fileBase}`,
      hint: 'an exclude ("!…") wins over every include; loosen it, or drop the filter',
      location: { file: ir.file },
    });
  }
  const messageIds = new Set([...kept.flatMap((c) => c.messages), ...operations.flatMap((op) => [...op.messages, ...(op.reply?.messages ?? [])])]);
  const messages = ir.messages.filter((m) => messageIds.has(m.id));
  const definitions = reachable(
    ir.schemas.definitions,
    messages.flatMap((m) => [m.payload, m.headers].filter((d): d is string => d !== undefined)),
  );
  const keptIds = new Set(kept.map((c) => c.id));
  const keptOps = new Set(operations.map((op) => op.id));
  const dropped = [
    ...ir.channels.filter((c) => !keptIds.has(c.id)).map((c) => pointerOf(['channels', c.id])),
    ...ir.operations.filter((op) => !keptOps.has(op.id)).map((op) => pointerOf(['operations', op.id])),
  ];
  // A warning about a channel or operation left out is about code that is not generated.
  const diagnostics = ir.diagnostics.filter((d) => !dropped.some((p) => d.location?.pointer === p || d.location?.pointer?.startsWith(`${p}/`)));
  return { ...ir, channels: kept, operations, messages, schemas: { definitions }, diagnostics };
}

/** The definitions `roots` name and those they reach through `#/definitions/…` refs, in their original order. */
function reachable(definitions: ReadonlyMap<string, JsonSchema>, roots: readonly string[]): Map<string, JsonSchema> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name) || !definitions.has(name)) return;
    seen.add(name);
    walk(definitions.get(name));
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/')) visit(decodeURIComponent(value.slice('#/definitions/'.length)).replace(/~1/g, '/').replace(/~0/g, '~'));
        else walk(value);
      }
    }
  };
  for (const root of roots) visit(root);
  return new Map([...definitions].filter(([name]) => seen.has(name)));
}

/** Every pattern must match something: a typo would otherwise silently drop half of a client. */
function unmatched(ir: IrSpec, all: readonly Matcher[]): void {
  const problems = all.filter((m) => !ir.channels.some((c) => onChannel(m, c)) && !ir.operations.some((op) => onOperation(m, op)));
  if (problems.length === 0) return;
  const names = (m: Matcher): string[] => [
    ...(m.kind !== 'operation' ? ir.channels.flatMap((c) => (c.address === c.id ? [c.id] : [c.id, c.address])) : []),
    ...(m.kind !== 'channel' ? ir.operations.map((op) => op.id) : []),
  ];
  const diagnostics = problems.map((m) => {
    const candidates = [...new Set(names(m))];
    const near = candidates
      .map((name) => ({ name, d: distance(name.toLowerCase(), m.glob.toLowerCase()) }))
      .filter(({ name, d }) => d <= Math.max(2, Math.floor(name.length / 3)))
      .sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1))
      .slice(0, 3)
      .map(({ name }) => name);
    const kind = m.kind === undefined ? 'channel or operation' : m.kind;
    const listed = candidates.slice(0, 8).join(', ') + (candidates.length > 8 ? ', …' : '');
    return {
      severity: 'error' as const,
      code: 'filter-matches-nothing',
      message: `filter pattern ${JSON.stringify(m.text)} matches no ${kind} of ${ir.fileBase}`,
      hint: near.length > 0 ? `did you mean ${near.map((n) => JSON.stringify(n)).join(' or ')}?` : `${m.kind ?? 'names'}: ${listed || '(none)'}; globs are case-sensitive and * stops at "/" (use **)`,
      location: { file: ir.file },
    };
  });
  const [first] = diagnostics;
  if (diagnostics.length === 1 && first) throw new CodegenError({ code: first.code, message: first.message, hint: first.hint, location: first.location });
  throw new CodegenError({ code: 'filter-matches-nothing', message: `${diagnostics.length} filter patterns match nothing in ${ir.fileBase}`, location: { file: ir.file }, diagnostics });
}
