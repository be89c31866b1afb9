import type { ModuleGraph } from './module-graph.js';
import type { Violation } from './rules.js';

/**
 * Database and cloud client packages: the gateway must never load one. A trailing `/*` stands for
 * a whole npm scope. A new connector's driver goes here too.
 */
export const DRIVER_PACKAGES = [
  'pg',
  'pg-copy-streams',
  'mysql2',
  '@duckdb/node-api',
  'duckdb',
  'snowflake-sdk',
  '@aws-sdk/*',
  '@azure/*',
  'tedious',
  'mssql',
  'teradatasql',
  'oracledb',
  'better-sqlite3',
  '@google-cloud/*',
];

/** The only connectors files the gateway may reach: the driver-free catalog and what it describes. */
export const GATEWAY_CONNECTOR_ENTRIES = [
  /^packages\/connectors\/src\/catalog\.ts$/,
  /^packages\/connectors\/src\/(.+\/)?description\.ts$/,
  /^packages\/connectors\/src\/core\/describe[^/]*\.ts$/,
  // The connector interfaces the descriptions name: type declarations only.
  /^packages\/connectors\/src\/core\/types\.ts$/,
];

const GATEWAY_SOURCES = 'apps/gateway/src/';
const CONNECTORS = 'packages/connectors/';

export function isDriverPackage(name: string): boolean {
  return DRIVER_PACKAGES.some((driver) =>
    driver.endsWith('/*') ? name.startsWith(driver.slice(0, -1)) : name === driver,
  );
}

/** Tests and their helpers may use drivers to set up data; they are not part of the running gateway. */
export function isTestFile(file: string): boolean {
  return (
    /\.(test|spec)\.ts$/.test(file) || file.split('/').some((p) => p === 'test-support' || p === '__tests__')
  );
}

/**
 * Walks the static closure of the gateway's own files (type imports included) and reports every
 * driver it loads and every connectors file outside the catalog it reaches, with the shortest
 * chain of imports from a gateway file.
 */
export function gatewayBoundary(graph: ModuleGraph): Violation[] {
  const roots = graph.files.filter((f) => f.startsWith(GATEWAY_SOURCES) && !isTestFile(f));
  const parent = new Map<string, string | undefined>(roots.map((r) => [r, undefined]));
  const chainTo = (file: string): string => {
    const chain: string[] = [];
    for (let at: string | undefined = file; at !== undefined; at = parent.get(at)) chain.unshift(at);
    return chain.join(' -> ');
  };
  const found: Violation[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (file.startsWith(CONNECTORS) && !GATEWAY_CONNECTOR_ENTRIES.some((entry) => entry.test(file))) {
      // Everything behind this file is reached through it; the one violation says enough.
      found.push({
        rule: 'gateway-boundary',
        message: `the gateway reaches ${file}, outside the connectors' driver-free entry @dxa/connectors/src/catalog.js: ${chainTo(file)}`,
      });
      continue;
    }
    for (const external of graph.externals.get(file) ?? []) {
      if (!isDriverPackage(external.packageName)) continue;
      found.push({
        rule: 'gateway-boundary',
        message: `the gateway loads the driver '${external.packageName}': ${chainTo(file)} imports '${external.specifier}'`,
      });
    }
    for (const edge of graph.edges.get(file) ?? []) {
      if (parent.has(edge.to)) continue;
      parent.set(edge.to, file);
      queue.push(edge.to);
    }
  }
  return found;
}
