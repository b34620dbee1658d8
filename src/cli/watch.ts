/**
 * `codegen watch`: regenerates a spec when it (or a file it `$ref`s) changes, and every spec when
 * the config changes. The process stays warm, so the parser, Modelina and the templates are loaded
 * once and a regeneration costs only the work itself. Errors are printed and watching goes on.
 */
import path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { findConfig } from '../config/load.js';
import { resolveJobs } from '../config/jobs.js';
import { shown } from '../errors.js';
import type { GenerateOptions, GenerationOptions } from '../generate.js';
import { localRefs } from '../spec/refs.js';
import { generateJob } from './generate.js';
import { report } from './report.js';

export interface WatchCommandOptions {
  readonly spec: string | undefined;
  readonly output: string | undefined;
  readonly flags?: GenerationOptions | undefined;
  /** Quiet time after the last change before regenerating; editors write in several steps. */
  readonly debounceMs?: number | undefined;
}

const keyOf = (job: GenerateOptions): string => `${job.spec}\0${job.output}`;
const clock = (): string => new Date().toTimeString().slice(0, 8);
const say = (line: string): void => void process.stdout.write(`[${clock()}] ${line}\n`);

export async function watchCommand(options: WatchCommandOptions): Promise<number> {
  const { watch } = await import('chokidar');
  const debounceMs = options.debounceMs ?? 80;
  const configFile = options.spec === undefined ? await findConfig(process.cwd()) : undefined;
  let jobs: readonly GenerateOptions[] = [];
  /** Watched file (absolute) → keys of the jobs that read it. */
  let readers = new Map<string, Set<string>>();

  const load = async (): Promise<boolean> => {
    try {
      jobs = (await resolveJobs({ spec: options.spec, output: options.output, flags: options.flags })).jobs;
      return true;
    } catch (error) {
      report(error);
      return false;
    }
  };
  // With no usable config and nothing to wait for, there is nothing to watch.
  if (!(await load()) && configFile === undefined) return 1;

  let watcher: FSWatcher | undefined;
  const rewatch = async (): Promise<void> => {
    const next = new Map<string, Set<string>>();
    for (const job of jobs) {
      for (const file of [path.resolve(job.spec), ...(await localRefs(job.spec))]) {
        const set = next.get(file) ?? new Set<string>();
        set.add(keyOf(job));
        next.set(file, set);
      }
    }
    if (configFile) next.set(configFile, new Set());
    const gone = [...readers.keys()].filter((f) => !next.has(f));
    const added = [...next.keys()].filter((f) => !readers.has(f));
    readers = next;
    if (gone.length > 0) watcher?.unwatch(gone);
    if (added.length > 0) watcher?.add(added);
  };

  // One regeneration at a time, in the order asked, so lines never interleave.
  let queue = Promise.resolve();
  const run = (keys: readonly string[]): Promise<void> =>
    (queue = queue
      .then(async () => {
        for (const job of jobs.filter((j) => keys.includes(keyOf(j)))) {
          const code = await generateJob(job, () => `[${clock()}] `);
          if (code !== 0) say(`${job.spec}: not regenerated; fix it and save to retry`);
        }
        await rewatch();
      })
      .catch((error: unknown) => void report(error))); // a failed step must not stop later ones

  let pending = new Set<string>();
  let reloadConfig = false;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    const keys = [...pending];
    const reload = reloadConfig;
    pending = new Set();
    reloadConfig = false;
    // The reload runs first in the queue; `keys` is read by run() only after it.
    queue = queue.then(async () => {
      if (!reload) return;
      say(`${shown(configFile ?? '')} changed: reloading`);
      if (await load()) keys.push(...jobs.map(keyOf));
    });
    void run(keys);
  };
  await run(jobs.map(keyOf));
  watcher = watch([...readers.keys()], { ignoreInitial: true });
  watcher.on('all', (_event, file) => {
    const absolute = path.resolve(file);
    if (absolute === configFile) reloadConfig = true;
    for (const key of readers.get(absolute) ?? []) pending.add(key);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  });
  watcher.on('error', (error) => say(`watch error: ${error instanceof Error ? error.message : String(error)}`));

  await new Promise<void>((resolve) => watcher?.once('ready', () => resolve()));
  say(`watching ${readers.size} file${readers.size === 1 ? '' : 's'} for changes (Ctrl-C to stop)`);

  return new Promise<number>((resolve) => {
    const stop = (): void => {
      if (timer) clearTimeout(timer);
      void (watcher?.close() ?? Promise.resolve()).then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
