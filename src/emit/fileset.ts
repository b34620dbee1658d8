/** Generated files in memory: relative POSIX paths to contents. The only way output reaches the disk. */

export class FileSet {
  private readonly files = new Map<string, string>();

  add(relativePath: string, contents: string): void {
    const normal = checkPath(relativePath);
    if (this.files.has(normal)) throw new Error(`internal: ${normal} generated twice`);
    this.files.set(normal, contents);
  }

  get(relativePath: string): string | undefined {
    return this.files.get(relativePath);
  }

  /** Sorted by path, so every consumer sees the same order. */
  entries(): Array<[string, string]> {
    return [...this.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  paths(): string[] {
    return this.entries().map(([p]) => p);
  }

  get size(): number {
    return this.files.size;
  }
}

/** Refuses anything that could land outside the output folder. */
export function checkPath(relativePath: string): string {
  const parts = relativePath.split('/');
  const bad =
    relativePath === '' ||
    relativePath.startsWith('/') ||
    relativePath.includes('\\') ||
    relativePath.includes('\0') ||
    /^[A-Za-z]:/.test(relativePath) ||
    parts.some((p) => p === '' || p === '.' || p === '..');
  if (bad) throw new Error(`internal: refusing to write outside the output folder: ${JSON.stringify(relativePath)}`);
  return relativePath;
}
