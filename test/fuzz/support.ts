/**
 * What the fuzz tests do with one document: generate it twice (same bytes), keep the output in a
 * batch folder, and later compile the whole batch with one `tsc --strict` run and import it.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateFiles } from '../../src/generate.js';
import { ROOT } from '../support/specs.js';
import { STRICT } from '../support/strict.js';

const run = promisify(execFile);
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** test/support/strict.ts, with NodeNext resolution. */
const STRICT_NODENEXT = { ...STRICT, module: 'NodeNext', moduleResolution: 'NodeNext' };

/**
 * A folder of generated outputs. The runtime files are the same in every output, so each output
 * links one shared copy: tsc follows the link to one real file and checks it once per batch.
 */
export class Batch {
  readonly cases: string[] = [];
  private runtime: Map<string, string> | undefined;

  constructor(readonly dir: string) {}

  async reset(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(path.join(this.dir, 'specs'), { recursive: true });
    await writeFile(path.join(this.dir, 'package.json'), '{ "type": "module" }\n');
  }

  /** Writes `doc` as a spec file and returns its path. */
  async spec(name: string, doc: unknown): Promise<string> {
    const file = path.join(this.dir, 'specs', `${name}.json`);
    await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
    return file;
  }

  /** Generates `spec` twice; throws unless both runs succeed with the same files and bytes. Keeps the output. */
  async generate(name: string, spec: string): Promise<string> {
    const first = await generateFiles(spec);
    const second = await generateFiles(spec);
    const a = first.files.entries();
    const b = second.files.entries();
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${name}: two runs over the same spec gave different output`);
    const out = path.join(this.dir, 'src', name);
    const own = new Map(a.filter(([file]) => !file.startsWith('runtime/')));
    const runtime = new Map(a.filter(([file]) => file.startsWith('runtime/')));
    await this.shareRuntime(runtime);
    // Plain writes: the atomic writer is tested elsewhere, and FileSet has checked every path already.
    for (const [file, text] of own) {
      await mkdir(path.dirname(path.join(out, file)), { recursive: true });
      await writeFile(path.join(out, file), text);
    }
    await symlink(path.join(this.dir, 'runtime'), path.join(out, 'runtime'), 'dir');
    this.cases.push(name);
    return out;
  }

  private async shareRuntime(files: Map<string, string>): Promise<void> {
    if (this.runtime === undefined) {
      this.runtime = files;
      for (const [file, text] of files) {
        await mkdir(path.dirname(path.join(this.dir, file)), { recursive: true });
        await writeFile(path.join(this.dir, file), text);
      }
      return;
    }
    const differ = [...files].some(([file, text]) => this.runtime?.get(file) !== text) || files.size !== this.runtime.size;
    if (differ) throw new Error('generated runtime files differ between documents (no servers, so none should add an adapter)');
  }

  /** One tsc run over every kept output; returns its errors, each line prefixed with the spec it came from. */
  async compile(only?: string): Promise<string> {
    const config = path.join(this.dir, `tsconfig${only ? `.${only}` : ''}.json`);
    const include = only ? [`src/${only}/**/*.ts`] : ['src/**/*.ts'];
    await writeFile(config, JSON.stringify({ compilerOptions: STRICT_NODENEXT, include }, null, 2));
    const out = await run(process.execPath, [TSC, '-p', config], { cwd: this.dir, maxBuffer: 64 * 1024 * 1024 }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    return out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const name = /^src\/([^/]+)\//.exec(l)?.[1];
        return name ? `${l}\n    spec: ${path.join(this.dir, 'specs', `${name}.json`)}` : l;
      })
      .join('\n');
  }
}
