import snowflake from 'snowflake-sdk';
import type { Logger } from '@dxa/logger';

/** Where the driver's own (already secret-masked) log lines go; the latest connector's logger. */
let sink: Logger | undefined;
let configured = false;

/**
 * The snowflake-sdk module, configured once per process: its messages go to our logger at debug
 * level instead of its default `snowflake.log` file in the working directory and the console, and
 * only errors are produced at all.
 */
export function snowflakeSdk(logger: Logger): typeof snowflake {
  sink = logger;
  if (!configured) {
    configured = true;
    const forward = (message: string) => sink?.debug('snowflake-sdk', { message });
    snowflake.configure({
      logLevel: 'ERROR',
      additionalLogToConsole: false,
      customLogger: { error: forward, warn: forward, info: forward, debug: forward, trace: forward },
    });
  }
  return snowflake;
}
