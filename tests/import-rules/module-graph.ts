import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { packageNameOf, resolveFilePath, TS_FILE } from './resolve.js';
import { readWorkspacePackages, resolveWorkspaceSpecifier, type WorkspacePackage } from './workspace.js';

/** Top-level folders whose TypeScript files are checked. */
export const SOURCE_ROOTS = ['apps', 'packages', 'tests', 'bench'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage']);

/** Paths are relative to the checked root, with forward slashes, so messages read the same anywhere. */
export type ImportEdge = { from: string; to: string; specifier: string; typeOnly: boolean };
export type ExternalImport = { from: string; specifier: string; packageName: string };
export type UnresolvedImport = { from: string; specifier: string };

export type ModuleGraph = {
  files: string[];
  /** Static imports and re-exports between the repository's own files, per importing file. */
  edges: Map<string, ImportEdge[]>;
  /** Static imports of npm packages (not Node built-ins), per importing file. */
  externals: Map<string, ExternalImport[]>;
  unresolved: UnresolvedImport[];
  packages: WorkspacePackage[];
};

type StaticImport = { specifier: string; typeOnly: boolean };

/** Every `.ts` file under the source roots, skipping installed and built folders. */
function sourceFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(rel);
      } else if (entry.isFile() && TS_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        found.push(rel);
      }
    }
  };
  for (const top of SOURCE_ROOTS) if (existsSync(path.join(root, top))) walk(top);
  return found.sort();
}

/**
 * The module specifiers a file loads statically: imports, `import type`, re-exports and
 * `import x = require()`. A dynamic `import()` is not one: it is how connectors load lazily.
 */
export function staticImports(fileName: string, text: string): StaticImport[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: StaticImport[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const typeOnly = clause?.phaseModifier === ts.SyntaxKind.TypeKeyword || onlyTypeImports(clause);
      found.push({ specifier: statement.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      const clause = statement.exportClause;
      const typeOnly =
        statement.isTypeOnly ||
        (clause !== undefined &&
          ts.isNamedExports(clause) &&
          clause.elements.length > 0 &&
          clause.elements.every((e) => e.isTypeOnly));
      found.push({ specifier: statement.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isImportEqualsDeclaration(statement) &&
      ts.isExternalModuleReference(statement.moduleReference) &&
      ts.isStringLiteral(statement.moduleReference.expression)
    ) {
      found.push({ specifier: statement.moduleReference.expression.text, typeOnly: statement.isTypeOnly });
    }
  }
  return found;
}

/** `import { type A, type B } from` loads nothing at run time, like `import type`. */
function onlyTypeImports(clause: ts.ImportClause | undefined): boolean {
  if (!clause || clause.name || !clause.namedBindings) return false;
  const bindings = clause.namedBindings;
  return (
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

function toRelative(root: string, abs: string): string {
  return path.relative(root, abs).split(path.sep).join('/');
}

/**
 * Reads every TypeScript file under the source roots of `root` (and any other file of the
 * repository they import) and resolves their static imports.
 */
export function buildModuleGraph(root: string): ModuleGraph {
  const packages = readWorkspacePackages(root);
  const graph: ModuleGraph = { files: [], edges: new Map(), externals: new Map(), unresolved: [], packages };
  const queue = sourceFiles(root);
  const seen = new Set(queue);
  while (queue.length > 0) {
    const file = queue.shift() as string;
    graph.files.push(file);
    const edges: ImportEdge[] = [];
    const externals: ExternalImport[] = [];
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const { specifier, typeOnly } of staticImports(file, text)) {
      const target = resolveSpecifier(root, packages, file, specifier);
      if (target === 'builtin' || target === 'asset') continue;
      if (target === undefined) graph.unresolved.push({ from: file, specifier });
      else if ('external' in target) externals.push({ from: file, specifier, packageName: target.external });
      else {
        const to = toRelative(root, target.file);
        edges.push({ from: file, to, specifier, typeOnly });
        if (!seen.has(to) && !to.split('/').includes('node_modules')) {
          seen.add(to);
          queue.push(to);
        }
      }
    }
    graph.edges.set(file, edges);
    graph.externals.set(file, externals);
  }
  graph.files.sort();
  return graph;
}

type Resolved = { file: string } | { external: string } | 'builtin' | 'asset' | undefined;

function resolveSpecifier(
  root: string,
  packages: WorkspacePackage[],
  from: string,
  specifier: string,
): Resolved {
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    return resolveFilePath(path.resolve(root, path.dirname(from), specifier));
  }
  if (isBuiltin(specifier)) return 'builtin';
  const workspace = resolveWorkspaceSpecifier(root, packages, specifier);
  if (workspace === 'not-workspace') return { external: packageNameOf(specifier) };
  return workspace;
}
