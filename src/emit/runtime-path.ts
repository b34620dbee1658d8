/** The runtime's import path, apart from the writer: the cache key needs it on the CLI's fast path. */
import path from 'node:path';

/** The runtime's folder inside an output when it is not shared. */
export const RUNTIME_FOLDER = 'runtime';

/** The import path of the runtime from the output folder: `./runtime`, or e.g. `../runtime`. */
export function runtimeImport(output: string | undefined, runtime: string | undefined): string {
  if (runtime === undefined || output === undefined) return `./${RUNTIME_FOLDER}`;
  const relative = path.relative(path.resolve(output), path.resolve(runtime)).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
