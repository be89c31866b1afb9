import './process-defaults.js';
import { Command, CommanderError } from 'commander';
import { PRODUCT_VERSION } from '@dxa/contracts';
import { cancel, jobs, status, submit } from './commands/client.js';
import { runAgent, runGateway, runWorker } from './commands/serve.js';
import { testConnections } from './commands/test-connections.js';
import { runDemo } from './demo/demo.js';
import { reportFatal } from './errors.js';

const debug = process.argv.includes('--debug');

/** Wraps a command so that failures print one line and set the exit code. */
function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number | void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number' && code !== 0) process.exitCode = code;
    } catch (err) {
      process.exitCode = reportFatal(err, debug);
    }
  };
}

export function buildProgram(): Command {
  const program = new Command('dxa')
    .description('data-exchange-agent: move and check data for database migrations')
    .version(PRODUCT_VERSION)
    .option('--debug', 'print stack traces and debug logs')
    .showHelpAfterError()
    .exitOverride();

  const withConfig = (cmd: Command) => cmd.option('-c, --config <file>', 'configuration TOML file');
  const withGateway = (cmd: Command) =>
    withConfig(cmd)
      .option('--gateway <url>', 'gateway URL (env DXA_GATEWAY_URL)')
      .option('--api-key <key>', 'API key (env DXA_API_KEY)');

  withConfig(program.command('gateway').description('run the REST API'))
    .option('-p, --port <port>', 'port to listen on')
    .action(action((opts: Record<string, string>) => runGateway({ ...program.opts(), ...opts })));

  withConfig(program.command('worker').description('run a worker for some affinity labels'))
    .option('-a, --affinity <labels>', 'comma-separated labels (env AGENT_AFFINITY)')
    .option('-n, --concurrency <n>', 'jobs at a time per label (env WORKER_COUNT)')
    .option('--health-port <port>', 'serve /healthz, /readyz and /metrics on this port')
    .action(action((opts: Record<string, string>) => runWorker({ ...program.opts(), ...opts })));

  withConfig(program.command('agent').description('gateway and worker in one process'))
    .option('-p, --port <port>', 'port to listen on')
    .option('-w, --workers <n>', 'jobs at a time (env WORKER_COUNT)')
    .option('-a, --affinity <labels>', 'comma-separated labels (env AGENT_AFFINITY)')
    .action(action((opts: Record<string, string>) => runAgent({ ...program.opts(), ...opts })));

  withGateway(
    program.command('submit <job.json>').description('submit a job ("-" reads stdin); prints its id'),
  )
    .option('--watch', 'follow progress; exit 0 only if the job completes')
    .action(
      action((file: string, opts: Record<string, string | boolean>) =>
        submit(file, { ...program.opts(), ...opts }),
      ),
    );

  withGateway(program.command('status <id>').description('show a job'))
    .option('--json', 'print the job view as JSON')
    .action(
      action((id: string, opts: Record<string, string | boolean>) =>
        status(id, { ...program.opts(), ...opts }),
      ),
    );

  withGateway(program.command('cancel <id>').description('cancel a job')).action(
    action((id: string, opts: Record<string, string>) => cancel(id, { ...program.opts(), ...opts })),
  );

  withGateway(program.command('jobs').description('list jobs'))
    .option('--state <state>', 'queued, active, completed, failed or cancelled')
    .option('--affinity <label>', 'only jobs of this label')
    .option('--limit <n>', 'at most this many (50)')
    .option('--json', 'print JSON')
    .action(action((opts: Record<string, string | boolean>) => jobs({ ...program.opts(), ...opts })));

  withConfig(program.command('test-connections').description('open every configured connection')).action(
    action((opts: Record<string, string>) => testConnections({ ...program.opts(), ...opts })),
  );

  program
    .command('demo')
    .description('create a sample table in the local PostgreSQL and migrate it to DuckDB end to end')
    .option('--rows <n>', 'rows in the sample table', '1000000')
    .option('--format <format>', 'parquet or csv', 'parquet')
    .action(action((opts: Record<string, string>) => runDemo({ ...program.opts(), ...opts })));

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportFatal(err, debug);
  }
}

await main(process.argv);
