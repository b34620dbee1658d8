/**
 * The `postProcess` option: the user's formatter over the generated files, in memory, before
 * anything is written. Every file goes to the formatter on stdin under the path it will have, so
 * the formatter applies the project's settings for that path; what it prints replaces the file.
 * A formatter that fails stops the run with its command and stderr, and the previous output stays.
 *
 * It runs after the output cache (the cache holds what the generator made), so a change to the
 * formatter or its settings is always seen, and `check` compares the same formatted text.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodegenError, shown } from '../errors.js';
import type { PostProcess } from '../options.js';
import { FileSet } from './fileset.js';
import { RUNTIME_FOLDER } from './runtime-path.js';

export interface PostProcessJob {
  readonly output: string;
  readonly runtime?: string | undefined;
  readonly postProcess?: PostProcess | undefined;
}

/** Formats one file: its text and the path it will be written to, to the formatted text. */
type Format = (text: string, file: string) => Promise<string>;

/** Where a generated file lands: in the output folder, or in the shared runtime folder. */
function destination(job: PostProcessJob, rel: string): string {
  const prefix = `${RUNTIME_FOLDER}/`;
  if (job.runtime !== undefined && rel.startsWith(prefix)) return path.resolve(job.runtime, rel.slice(prefix.length));
  return path.resolve(job.output, rel);
}

/** The files as the formatter leaves them; the same FileSet when there is no formatter. */
export async function postProcess(files: FileSet, job: PostProcessJob): Promise<FileSet> {
  if (job.postProcess === undefined) return files;
  const format = await formatter(job.postProcess, job.output);
  const entries = files.entries();
  const out = new Array<string>(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < entries.length; i = next++) {
      const [rel, text] = entries[i] ?? ['', ''];
      out[i] = await format(text, destination(job, rel));
    }
  };
  await Promise.all(Array.from({ length: Math.min(entries.length, Math.max(2, availableParallelism())) }, worker));
  const formatted = new FileSet();
  entries.forEach(([rel], i) => formatted.add(rel, out[i] ?? ''));
  return formatted;
}

/**
 * The path biome is told: beside the file, under a name that never exists. Biome applies
 * files.includes to a stdin path only when a file is there, so the real path would be formatted on
 * the first run and left alone on the next; the folder's settings and overrides still apply.
 */
function biomePath(file: string): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}.codegen-format${ext}`);
}

/** Biome's native binary, as its bin/biome wrapper finds it, without the wrapper's node process per file. */
function biomeBinary(output: string): readonly string[] {
  const wrapper = resolveFromProject(output, '@biomejs/biome/bin/biome', '@biomejs/biome', 'biome');
  if (process.env.BIOME_BINARY) return [process.env.BIOME_BINARY];
  const from = createRequire(wrapper);
  const exe = process.platform === 'win32' ? 'biome.exe' : 'biome';
  for (const variant of ['', '-musl']) {
    try {
      return [from.resolve(`@biomejs/cli-${process.platform}-${process.arch}${variant}/${exe}`)];
    } catch {
      // not this variant
    }
  }
  return [process.execPath, wrapper];
}

/** A package of the user's project, resolved from the output folder up, as node would. */
function resolveFromProject(output: string, request: string, install: string, preset: string): string {
  try {
    return createRequire(path.join(path.resolve(output), 'noop.js')).resolve(request);
  } catch {
    throw new CodegenError({
      code: 'formatter-not-found',
      message: `postProcess "${preset}" needs ${install} in your project, and it is not installed where ${shown(output)} is`,
      hint: `npm install --save-dev ${install}; or set postProcess to { "command": [...] } for another formatter`,
    });
  }
}

async function formatter(option: PostProcess, output: string): Promise<Format> {
  if (option === 'biome') {
    const bin = biomeBinary(output);
    return (text, file) => run([...bin, 'format', `--stdin-file-path=${biomePath(file)}`], text, ['biome', 'format', `--stdin-file-path=${shown(file)}`]);
  }
  if (option === 'prettier') {
    const entry = resolveFromProject(output, 'prettier', 'prettier', 'prettier');
    interface Prettier {
      resolveConfig(file: string, options?: { editorconfig?: boolean }): Promise<Record<string, unknown> | null>;
      format(text: string, options: Record<string, unknown>): Promise<string>;
    }
    // require.resolve finds its CommonJS entry: the API is that module's default export.
    const loaded = (await import(pathToFileURL(entry).href)) as Partial<Prettier> & { default?: Prettier };
    const prettier: Prettier = loaded.default ?? (loaded as Prettier);
    return async (text, file) => {
      try {
        const config = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
        return await prettier.format(text, { ...config, filepath: file });
      } catch (error) {
        throw failed(`prettier on ${shown(file)}`, 'it threw', error instanceof Error ? error.message : String(error));
      }
    };
  }
  if (option === 'eslint') return eslintFormat(resolveFromProject(output, 'eslint', 'eslint', 'eslint'));
  const [program, ...args] = option.command;
  if (program === undefined) throw new CodegenError({ code: 'post-process-failed', message: 'postProcess has an empty command', hint: 'e.g. { "command": ["dprint", "fmt", "--stdin", "{file}"] }' });
  return (text, file) => {
    const argv = [program, ...args.map((a) => a.split('{file}').join(file))];
    return run(argv, text, [program, ...args.map((a) => a.split('{file}').join(shown(file)))]);
  };
}

/** What postProcess uses of ESLint's API (eslint 9 and 10). */
interface EslintApi {
  lintText(text: string, options: { filePath: string }): Promise<Array<{ output?: string; messages: Array<{ fatal?: boolean; line?: number; column?: number; message: string }> }>>;
}

/** `eslint --fix` through its API, once per run: the fixed text of each file, as if it were at its path. */
async function eslintFormat(entry: string): Promise<Format> {
  const loaded = (await import(pathToFileURL(entry).href)) as { ESLint?: EslintClass; default?: { ESLint?: EslintClass } };
  const ESLint = loaded.ESLint ?? loaded.default?.ESLint;
  if (ESLint === undefined) throw failed('eslint', 'its module has no ESLint class (eslint 9 or later is needed)');
  const eslint = new ESLint({ fix: true });
  return async (text, file) => {
    let results: Awaited<ReturnType<EslintApi['lintText']>>;
    try {
      results = await eslint.lintText(text, { filePath: file });
    } catch (error) {
      throw failed(`eslint --fix on ${shown(file)}`, 'it threw', error instanceof Error ? error.message : String(error));
    }
    // Problems it cannot fix stay for the user's own lint run; a file it cannot parse is an error.
    const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal === true));
    if (fatal.length > 0) throw failed(`eslint --fix on ${shown(file)}`, 'it could not parse the file', fatal.map((m) => `${m.line ?? 0}:${m.column ?? 0} ${m.message}`).join('\n'));
    return results[0]?.output ?? text;
  };
}

type EslintClass = new (options: { fix: boolean }) => EslintApi;

/** `reason`: one line (`exit code 3`); `output`: what the formatter wrote to stderr, shown indented under the hint. */
function failed(command: string, reason: string, output = ''): CodegenError {
  const lines = output.trim() === '' ? [] : output.trimEnd().split('\n');
  const said = lines.slice(0, 20).map((l) => `    ${l}`);
  if (lines.length > 20) said.push(`    … ${lines.length - 20} more lines`);
  return new CodegenError({
    code: 'post-process-failed',
    message: `postProcess: ${command} failed (${reason}); nothing was written, the previous output is unchanged`,
    hint: `fix the formatter or its settings, or remove postProcess (config or --post-process)${said.length > 0 ? `; it said:\n${said.join('\n')}` : ''}`,
  });
}

/** Runs one formatter process: `text` on stdin, the formatted text from stdout; no shell. */
function run(argv: readonly string[], text: string, display: readonly string[]): Promise<string> {
  const [program, ...args] = argv;
  const shownCommand = `\`${display.join(' ')}\``;
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? '', args, { stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => reject(failed(shownCommand, error.code === 'ENOENT' ? `${program ?? ''}: command not found` : error.message)));
    // A formatter that exits before reading all of stdin closes the pipe; its exit code says why.
    child.stdin.on('error', () => undefined);
    child.on('close', (code, signal) => {
      const err = Buffer.concat(stderr).toString('utf8');
      const result = Buffer.concat(stdout).toString('utf8');
      if (code !== 0) reject(failed(shownCommand, signal ? `killed by ${signal}` : `exit code ${code}`, err));
      else if (result === '' && text !== '') reject(failed(shownCommand, 'it printed nothing; a postProcess command must print the formatted file on stdout', err));
      else resolve(result);
    });
    child.stdin.end(text);
  });
}
