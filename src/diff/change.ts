/** What `diffSpecs` returns, and the small helpers every comparer uses to build it. */
import { escapeSegment as escape, unescapeSegment } from '../pointer.js';

export type ChangeKind = 'breaking' | 'non-breaking' | 'unclassified';

export const KINDS: readonly ChangeKind[] = ['breaking', 'non-breaking', 'unclassified'];

export interface Change {
  readonly kind: ChangeKind;
  /** JSON pointer into the document, read through `$ref`s (e.g. a payload reached via its channel). */
  readonly pointer: string;
  /** The element the change belongs to: `channels/a`, `channels/a/messages/m`, `operations/o`, `servers/s`, `info`. */
  readonly path: string;
  /** One human sentence: `property removed`, `changed from "a" to "b"`. */
  readonly message: string;
}

/** Pointer segments, unescaped; joined only when a Change is made. */
export type Segments = readonly string[];

/** Collects changes; comparers push into it instead of returning arrays to concatenate. */
export class Changes {
  readonly list: Change[] = [];

  add(kind: ChangeKind, at: Segments, message: string): void {
    this.list.push({ kind, pointer: toPointer(at), path: elementPath(at), message });
  }

  breaking(at: Segments, message: string): void {
    this.add('breaking', at, message);
  }

  nonBreaking(at: Segments, message: string): void {
    this.add('non-breaking', at, message);
  }

  unclassified(at: Segments, message: string): void {
    this.add('unclassified', at, message);
  }
}

export function toPointer(at: Segments): string {
  return at.map((s) => `/${escape(s)}`).join('');
}

export function fromPointer(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => unescapeSegment(s));
}

/** Messages live under their channel, so a message's element is four segments deep. */
function elementPath(at: Segments): string {
  const [top, , sub] = at;
  const depth = top === 'channels' && sub === 'messages' && at.length >= 4 ? 4 : ['channels', 'operations', 'servers'].includes(top ?? '') ? 2 : 1;
  return at.slice(0, depth).map(escape).join('/');
}

/** Breaking first, then by pointer: the same input always prints the same lines. */
export function sortChanges(changes: readonly Change[]): Change[] {
  const rank = (k: ChangeKind): number => KINDS.indexOf(k);
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...changes].sort((a, b) => rank(a.kind) - rank(b.kind) || cmp(a.pointer, b.pointer) || cmp(a.message, b.message));
}

export function countKinds(changes: readonly Change[]): Record<ChangeKind, number> {
  const counts: Record<ChangeKind, number> = { breaking: 0, 'non-breaking': 0, unclassified: 0 };
  for (const c of changes) counts[c.kind]++;
  return counts;
}
