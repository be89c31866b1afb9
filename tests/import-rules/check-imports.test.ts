import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkImports, type RuleName } from './check-imports.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

const manifest = (name: string, extra: Record<string, unknown> = { main: 'src/index.ts' }) =>
  JSON.stringify({ name, type: 'module', ...extra });

/**
 * A small workspace that keeps every rule: the gateway reaches the connectors through their
 * catalog only, and the driver behind a description is loaded with a dynamic import.
 */
const CLEAN_TREE: Record<string, string> = {
  'apps/gateway/package.json': manifest('@dxa/gateway'),
  'apps/gateway/src/index.ts': `import { catalog } from '@dxa/connectors/catalog';
import { ok } from '@dxa/util';
export const kinds = catalog.map((c) => c.kind).concat(ok ? [] : []);`,
  'apps/gateway/src/db.test.ts': `import pg from 'pg';\nexport const client = new pg.Client();`,
  'apps/worker/package.json': manifest('@dxa/worker'),
  'apps/worker/src/index.ts': `import { createSource } from '@dxa/connectors';\nexport const source = createSource();`,
  'packages/connectors/package.json': manifest('@dxa/connectors', {
    exports: {
      '.': './src/index.ts',
      './catalog': { types: './src/catalog.ts', default: './src/catalog.ts' },
    },
  }),
  'packages/connectors/src/index.ts': `export * from './catalog.js';\nexport { createSource } from './postgres/source.js';`,
  'packages/connectors/src/catalog.ts': `import { postgres } from './postgres/description.js';\nexport const catalog = [postgres];`,
  'packages/connectors/src/core/describe.ts': `export type Description = { kind: string; load: () => Promise<unknown> };`,
  'packages/connectors/src/postgres/description.ts': `import type { Description } from '../core/describe.js';
export const postgres: Description = { kind: 'postgresql', load: () => import('./source.js') };`,
  'packages/connectors/src/postgres/source.ts': `import pg from 'pg';\nexport const createSource = () => new pg.Client();`,
  'packages/util/package.json': manifest('@dxa/util'),
  'packages/util/src/index.ts': `export { helper } from './helper.js';\nexport const ok = true;`,
  'packages/util/src/helper.ts': `import type { Description } from '@dxa/connectors/catalog';
export const helper = (d: Description) => d.kind;`,
};

let roots: string[] = [];

afterEach(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots = [];
});

/** The clean tree with some files replaced or added, written to a fresh temporary folder. */
function tree(changes: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), 'dxa-import-rules-'));
  roots.push(root);
  for (const [file, text] of Object.entries({ ...CLEAN_TREE, ...changes })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function messagesOf(root: string, rule: RuleName): string[] {
  return checkImports(root)
    .violations.filter((v) => v.rule === rule)
    .map((v) => v.message);
}

describe('the import rules', () => {
  it('hold on this repository', () => {
    const { files, violations } = checkImports(REPO_ROOT);
    expect(violations).toEqual([]);
    expect(files).toBeGreaterThan(300);
  });

  it('hold on a workspace whose gateway uses the connector catalog and whose drivers load lazily', () => {
    expect(checkImports(tree()).violations).toEqual([]);
  });

  it('report an import cycle as its chain of files, type imports included', () => {
    const root = tree({
      'packages/util/src/a.ts': `import { b } from './b.js';\nexport const a = () => b;`,
      'packages/util/src/b.ts': `import type { a } from './a.js';\nexport const b = 1 as unknown as typeof a;`,
    });
    expect(messagesOf(root, 'import-cycle')).toEqual([
      'packages/util/src/a.ts -> packages/util/src/b.ts -> packages/util/src/a.ts (import type)',
    ]);
  });

  it('report a package that imports an app, by package name or by relative path', () => {
    const root = tree({
      'packages/util/src/uses-worker.ts': `import { source } from '@dxa/worker';\nexport const s = source;`,
      'packages/util/src/reaches-in.ts': `export { source } from '../../../apps/worker/src/index.js';`,
    });
    expect(messagesOf(root, 'package-imports-app')).toEqual([
      "packages/util/src/reaches-in.ts imports apps/worker/src/index.ts ('../../../apps/worker/src/index.js'): packages must not import apps",
      "packages/util/src/uses-worker.ts imports apps/worker/src/index.ts ('@dxa/worker'): packages must not import apps",
    ]);
  });

  it('report a gateway file that imports a driver, even for its types', () => {
    const root = tree({ 'apps/gateway/src/db.ts': `import type { Pool } from 'pg';\nexport type P = Pool;` });
    expect(messagesOf(root, 'gateway-boundary')).toEqual([
      "the gateway loads the driver 'pg': apps/gateway/src/db.ts imports 'pg'",
    ]);
  });

  it('report a driver the gateway reaches through a package, with the chain', () => {
    const root = tree({
      'packages/util/src/helper.ts': `import { S3Client } from '@aws-sdk/client-s3';\nexport const helper = () => new S3Client({});`,
    });
    expect(messagesOf(root, 'gateway-boundary')).toEqual([
      "the gateway loads the driver '@aws-sdk/client-s3': apps/gateway/src/index.ts -> packages/util/src/index.ts -> packages/util/src/helper.ts imports '@aws-sdk/client-s3'",
    ]);
  });

  it('report a gateway that reaches the connectors past their catalog', () => {
    const root = tree({ 'apps/gateway/src/sources.ts': `export { createSource } from '@dxa/connectors';` });
    expect(messagesOf(root, 'gateway-boundary')).toEqual([
      "the gateway reaches packages/connectors/src/index.ts, outside the connectors' driver-free entry @dxa/connectors/src/catalog.js: apps/gateway/src/sources.ts -> packages/connectors/src/index.ts",
    ]);
  });

  it('report a cycle between workspace packages that no file cycle shows', () => {
    const root = tree({
      'packages/other/package.json': manifest('@dxa/other'),
      'packages/other/src/index.ts': `import { ok } from '@dxa/util';\nexport const other = ok;`,
      'packages/util/src/uses-other.ts': `import { other } from '@dxa/other';\nexport const both = other;`,
    });
    expect(messagesOf(root, 'import-cycle')).toEqual([]);
    expect(messagesOf(root, 'package-cycle')).toEqual([
      '@dxa/other -> @dxa/util -> @dxa/other' +
        '\n    @dxa/other -> @dxa/util: packages/other/src/index.ts imports packages/util/src/index.ts' +
        '\n    @dxa/util -> @dxa/other: packages/util/src/uses-other.ts imports packages/other/src/index.ts',
    ]);
  });

  it('report a file holding a NUL byte, with where it is', () => {
    const root = tree({
      'packages/util/src/names.ts': `export const a = 1;\nexport const pattern = /[^\0]/;\n`,
    });
    expect(messagesOf(root, 'nul-byte')).toEqual([
      'packages/util/src/names.ts holds a NUL byte (line 2, column 27); git treats it as binary and shows no diff of it: write it as an escape (\\0 or \\u0000)',
    ]);
  });

  it('report an import it cannot follow instead of skipping it', () => {
    const root = tree({
      'packages/util/src/broken.ts': `export { x } from './missing.js';\nexport { y } from '@dxa/connectors/internal';`,
    });
    expect(messagesOf(root, 'unresolved-import')).toEqual([
      "packages/util/src/broken.ts imports './missing.js', which names no file (or a subpath its package does not export)",
      "packages/util/src/broken.ts imports '@dxa/connectors/internal', which names no file (or a subpath its package does not export)",
    ]);
  });

  it('exit non-zero from the command line, naming the rule', () => {
    const root = tree({ 'apps/gateway/src/db.ts': `import pg from 'pg';\nexport const c = pg;` });
    const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, root], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "gateway-boundary: the gateway loads the driver 'pg': apps/gateway/src/db.ts",
    );
    const clean = spawnSync(process.execPath, ['--import', 'tsx', MAIN, tree()], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('check-imports: ok');
  });
});
