/**
 * The `codegen` command line. Commands lazy-load what they need, so `--help` stays instant.
 * Exit codes: 0 done, 1 the spec (or config) is wrong, 2 the command line is wrong.
 */
import { Command, CommanderError } from 'commander';
import { report } from './report.js';

const EXIT_USAGE = 2;

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command()
    .name('codegen')
    .description('Generate typed TypeScript models, validators, publishers and subscribers from AsyncAPI 3 documents.')
    .version(await version(), '-v, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run codegen --help for usage)');

  let exitCode = 0;
  const run = (action: () => Promise<number>) => async () => {
    exitCode = await action();
  };

  program
    .command('generate [spec]', { isDefault: true })
    .description('generate one spec into a folder, or every spec of codegen.config.json when no spec is given')
    .option('-o, --output <dir>', 'output folder (default: generated/<spec name>)')
    .action((spec: string | undefined, options: { output?: string }) =>
      run(async () => (await import('./generate.js')).generateCommand({ spec, output: options.output }))(),
    );

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
