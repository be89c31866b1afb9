import { gatewayBoundary } from './gateway.js';
import { buildModuleGraph } from './module-graph.js';
import { nulBytes } from './nul-bytes.js';
import {
  importCycles,
  packageCycles,
  packagesImportingApps,
  unresolvedImports,
  type Violation,
} from './rules.js';

export type { RuleName, Violation } from './rules.js';

export type ImportCheck = { files: number; violations: Violation[] };

/**
 * The repository's import rules, checked on the tree at `root`: no import cycle between files or
 * between workspace packages, no package importing an app, a gateway free of drivers and of
 * connectors beyond their catalog, and no source file git would take for binary.
 */
export function checkImports(root: string): ImportCheck {
  const graph = buildModuleGraph(root);
  return {
    files: graph.files.length,
    violations: [
      ...unresolvedImports(graph),
      ...importCycles(graph),
      ...packageCycles(graph),
      ...packagesImportingApps(graph),
      ...gatewayBoundary(graph),
      ...nulBytes(root),
    ],
  };
}

export function formatViolations(violations: Violation[]): string {
  return violations.map((v) => `${v.rule}: ${v.message}`).join('\n');
}
