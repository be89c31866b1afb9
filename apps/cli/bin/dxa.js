#!/usr/bin/env node
// Registers the TypeScript loader, then runs the CLI from source.
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
