import './process-defaults.js';
import { Command } from 'commander';
import { runAgent } from './commands/serve.js';
import { reportFatal } from './errors.js';

// The upstream `data-exchange-agent` command line: the single-process agent with the old flags.
const program = new Command('data-exchange-agent')
  .option('-p, --port <port>', 'port to listen on')
  .option('-w, --workers <n>', 'jobs at a time')
  .option('--host <host>', 'accepted for compatibility; use [server] host')
  .option('-i, --interval <seconds>', 'accepted for compatibility; jobs are pushed, not polled')
  .option('-c, --config <file>', 'configuration TOML file')
  .option('-a, --affinity <labels>', 'comma-separated labels')
  .option('-d, --debug', 'debug logs and stack traces');

program.parse(process.argv);
const opts = program.opts<{
  port?: string;
  workers?: string;
  config?: string;
  affinity?: string;
  debug?: boolean;
}>();
try {
  await runAgent(opts);
} catch (err) {
  process.exitCode = reportFatal(err, opts.debug === true);
}
