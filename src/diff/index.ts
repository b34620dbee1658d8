/** `diffSpecs`: what changed between two parsed versions of a spec, and whether it breaks anyone. */
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { Changes, sortChanges, type Change } from './change.js';
import { compareDocuments } from './document.js';
import { compareElements } from './elements.js';
import { viewOf } from './view.js';

export { countKinds, KINDS, type Change, type ChangeKind } from './change.js';

/** Breaking changes first, then by pointer; the same two documents always give the same list. */
export function diffSpecs(before: AsyncAPIDocumentInterface, after: AsyncAPIDocumentInterface): Change[] {
  const a = viewOf(before);
  const b = viewOf(after);
  const out = new Changes();
  compareDocuments(a.skeleton, b.skeleton, out);
  compareElements(a, b, out);
  return sortChanges(out.list);
}
