/**
 * The `codegen` command line. Commands lazy-load what they need, so `--help` stays instant.
 * Exit codes: 0 done, 1 the spec (or config) is wrong, 2 the command line is wrong.
 */
import { Command, CommanderError, Option } from 'commander';
import { addGenerationFlags, generationFlags } from '../config/options.js';
import { EXIT_USAGE, report } from './report.js';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('codegen')
    .description('Generate typed TypeScript models, validators, publishers and subscribers from AsyncAPI 3 (and 2.x) documents.')
    .version(await version(), '-v, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run codegen --help for usage)');

  let exitCode = 0;
  // `codegen check | head` closes the pipe early: that ends the output, it is not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(exitCode);
    throw error;
  });
  const run = (action: () => Promise<number>) => async () => {
    exitCode = await action();
  };

  // generate, check, validate and watch share the generation flags: one table (src/config/options.ts) feeds all.
  addGenerationFlags(
    program
      .command('generate [spec]', { isDefault: true })
      .description('generate one spec into a folder, or every spec of codegen.config.* when no spec is given')
      .option('-o, --output <dir>', 'output folder (default: generated/<spec name>)')
      .option('--no-cache', 'always run the whole pipeline: neither read nor write the output cache (also: CODEGEN_CACHE=0)')
      .option('--timings', 'print how long each stage took to stderr (also: CODEGEN_DEBUG=timings)'),
  ).action((spec: string | undefined, options: { output?: string; cache: boolean; timings?: boolean }, command: Command) =>
    run(async () => {
      if (options.timings) (await import('../timings.js')).enableTimings();
      return (await import('./generate.js')).generateCommand({ spec, output: options.output, flags: generationFlags(command), cache: options.cache });
    })(),
  );

  addGenerationFlags(
    program
      .command('check [spec]')
      .description('exit 1 when generated files are stale, missing or extra (for CI); writes nothing')
      .option('-o, --output <dir>', 'output folder to compare (default: generated/<spec name>)')
      .option('--no-cache', 'regenerate without the output cache (also: CODEGEN_CACHE=0)'),
  ).action((spec: string | undefined, options: { output?: string; cache: boolean }, command: Command) =>
    run(async () => {
      const fix = ['codegen', ...argv.map((a) => (a === 'check' ? 'generate' : /^[\w./:=,@+-]+$/.test(a) ? a : JSON.stringify(a)))].join(' ');
      return (await import('./check.js')).checkCommand({ spec, output: options.output, flags: generationFlags(command), cache: options.cache, fix });
    })(),
  );

  addGenerationFlags(
    program
      .command('validate [spec]')
      .description('report the diagnostics of a spec (or of every spec of the config); exit 1 on errors')
      .option('--strict', 'warnings fail too')
      .addOption(new Option('-f, --format <format>', 'text, or json for tools').choices(['text', 'json']).default('text')),
    'input',
  ).action((spec: string | undefined, options: { strict?: boolean; format: 'text' | 'json' }, command: Command) =>
    run(async () => (await import('./validate.js')).validateCommand({ spec, flags: generationFlags(command), format: options.format, strict: options.strict === true }))(),
  );

  addGenerationFlags(
    program
      .command('watch [spec]')
      .description('regenerate on every change of a spec, the files it $refs, or the config; Ctrl-C to stop')
      .option('-o, --output <dir>', 'output folder (default: generated/<spec name>)'),
  ).action((spec: string | undefined, options: { output?: string }, command: Command) =>
    run(async () => (await import('./watch.js')).watchCommand({ spec, output: options.output, flags: generationFlags(command) }))(),
  );

  program
    .command('diff <old> <new>')
    .description('list breaking, non-breaking and unclassified changes between two versions of a spec; exit 1 when any is breaking')
    .addOption(program.createOption('-f, --format <format>', 'text, json, or markdown for a PR comment').choices(['text', 'json', 'markdown']).default('text'))
    .option('--allow-external-refs', "follow $refs to files outside a spec's folder and to URLs (refused by default)")
    .action((oldSpec: string, newSpec: string, options: { format: 'text' | 'json' | 'markdown'; allowExternalRefs?: boolean }) =>
      run(async () => (await import('./diff.js')).diffCommand(oldSpec, newSpec, options))(),
    );

  program
    .command('init <dir>')
    .description('scaffold an event service in <dir>: the spec, its generated client, a subscriber and a publisher, and a test of every message')
    .requiredOption('--spec <file>', '(required) the AsyncAPI document to build on (copied into <dir>/specs/)')
    .showHelpAfterError('(run codegen init --help for usage)')
    .option('--transport <name>', 'memory (default), nats, mqtt, amqp, kafka, webhook or websocket')
    .option('--force', 'write into a folder that is not empty (files of the same names are replaced)')
    .action((dir: string, options: { spec: string; transport?: string; force?: boolean }) => run(async () => (await import('./init.js')).initCommand(dir, options))());

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return EXIT_USAGE;
    }
    return report(error);
  }
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
