import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkImports, formatViolations } from './check-imports.js';
import { SOURCE_ROOTS } from './module-graph.js';

// `pnpm check:imports [root]`: the repository this file is in unless another root is given.
const root = path.resolve(process.argv[2] ?? fileURLToPath(new URL('../..', import.meta.url)));
if (!existsSync(root) || !statSync(root).isDirectory()) {
  console.error(`check-imports: ${root} is not a folder`);
  process.exit(2);
}
const { files, violations } = checkImports(root);
if (files === 0) {
  // Checking nothing would pass anything: a wrong root must not look like a clean repository.
  console.error(`check-imports: no TypeScript files under ${SOURCE_ROOTS.join(', ')} of ${root}`);
  process.exit(2);
}
if (violations.length > 0) {
  console.error(formatViolations(violations));
  console.error(`check-imports: ${violations.length} violation(s) in ${files} files under ${root}`);
  process.exitCode = 1;
} else {
  console.log(`check-imports: ok (${files} files)`);
}
