import { findCycles } from './cycles.js';
import type { ImportEdge, ModuleGraph } from './module-graph.js';
import { packageOfFile } from './workspace.js';

export type RuleName =
  | 'unresolved-import'
  | 'import-cycle'
  | 'package-imports-app'
  | 'package-cycle'
  | 'gateway-boundary'
  | 'nul-byte';

/** One broken rule; the message names the files and, for cycles and reach, the chain. */
export type Violation = { rule: RuleName; message: string };

/** App package names, besides whatever apps/* declares (so a missing manifest hides nothing). */
const APP_PACKAGE_NAMES = ['@dxa/gateway', '@dxa/worker', '@dxa/cli', 'data-exchange-agent'];

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** An import the checker cannot follow could hide a cycle or a driver: it is an error, not a skip. */
export function unresolvedImports(graph: ModuleGraph): Violation[] {
  return graph.unresolved.map(({ from, specifier }) => ({
    rule: 'unresolved-import',
    message: `${from} imports '${specifier}', which names no file (or a subpath its package does not export)`,
  }));
}

/** `a.ts -> b.ts (import type) -> a.ts`: the links a type-only import makes are marked. */
function fileChain(graph: ModuleGraph, cycle: string[]): string {
  return cycle
    .map((file, i) => {
      if (i === 0) return file;
      const from = cycle[i - 1] as string;
      const links = (graph.edges.get(from) ?? []).filter((e) => e.to === file);
      return links.every((e) => e.typeOnly) ? `${file} (import type)` : file;
    })
    .join(' -> ');
}

export function importCycles(graph: ModuleGraph): Violation[] {
  const digraph = new Map(graph.files.map((f) => [f, unique((graph.edges.get(f) ?? []).map((e) => e.to))]));
  const { cycles, truncated } = findCycles(digraph);
  const found: Violation[] = cycles.map((cycle) => ({
    rule: 'import-cycle',
    message: fileChain(graph, cycle),
  }));
  if (truncated) found.push({ rule: 'import-cycle', message: 'more import cycles than listed above' });
  return found;
}

/** Packages are what apps are built from; an import the other way ties a library to one app. */
export function packagesImportingApps(graph: ModuleGraph): Violation[] {
  const appNames = new Set([
    ...APP_PACKAGE_NAMES,
    ...graph.packages.filter((p) => p.dir.startsWith('apps/')).map((p) => p.name),
  ]);
  const found: Violation[] = [];
  for (const file of graph.files) {
    if (!file.startsWith('packages/')) continue;
    for (const edge of graph.edges.get(file) ?? []) {
      if (!edge.to.startsWith('apps/')) continue;
      found.push({
        rule: 'package-imports-app',
        message: `${file} imports ${edge.to} ('${edge.specifier}'): packages must not import apps`,
      });
    }
    const byName = [
      ...(graph.externals.get(file) ?? []).map((e) => ({ specifier: e.specifier, name: e.packageName })),
      ...graph.unresolved
        .filter((u) => u.from === file)
        .map((u) => ({ specifier: u.specifier, name: u.specifier })),
    ];
    for (const { specifier, name } of byName) {
      if (![...appNames].some((app) => name === app || name.startsWith(`${app}/`))) continue;
      found.push({
        rule: 'package-imports-app',
        message: `${file} imports the app package '${specifier}': packages must not import apps`,
      });
    }
  }
  return found;
}

/** The workspace packages' own dependency graph, as their files' imports make it. */
export function packageCycles(graph: ModuleGraph): Violation[] {
  const links = new Map<string, ImportEdge>();
  const digraph = new Map<string, string[]>(graph.packages.map((p) => [p.name, []]));
  for (const file of graph.files) {
    const from = packageOfFile(graph.packages, file);
    if (!from) continue;
    for (const edge of graph.edges.get(file) ?? []) {
      const to = packageOfFile(graph.packages, edge.to);
      if (!to || to.name === from.name) continue;
      const key = `${from.name} -> ${to.name}`;
      if (links.has(key)) continue;
      links.set(key, edge);
      digraph.get(from.name)?.push(to.name);
    }
  }
  const { cycles, truncated } = findCycles(digraph);
  const found: Violation[] = cycles.map((cycle) => {
    const why = cycle.slice(1).map((to, i) => {
      const edge = links.get(`${cycle[i]} -> ${to}`) as ImportEdge;
      return `\n    ${cycle[i]} -> ${to}: ${edge.from} imports ${edge.to}`;
    });
    return { rule: 'package-cycle', message: `${cycle.join(' -> ')}${why.join('')}` };
  });
  if (truncated) found.push({ rule: 'package-cycle', message: 'more package cycles than listed above' });
  return found;
}
