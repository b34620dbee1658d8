/** JSON pointers (RFC 6901), the one way diagnostics, diffs and refs name a place in a document. */

/** One key as a pointer segment: `~` → `~0`, `/` → `~1`. */
export function escapeSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `['channels', 'a/b']` → `/channels/a~1b`; no segments → `` (the whole document). */
export function pointerOf(segments: ReadonlyArray<string | number>): string {
  return segments.map((s) => `/${escapeSegment(s)}`).join('');
}

/** A segment back to its key; `$ref`s may also percent-encode it (`#/channels/a%20b`). */
export function unescapeSegment(segment: string, percentEncoded = false): string {
  const decoded = percentEncoded ? safeDecode(segment) : segment;
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
