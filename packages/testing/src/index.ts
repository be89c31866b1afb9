export * from './databases.js';
export * from './redis.js';
export * from './processes.js';
export * from './checksum.js';
export * from './csv.js';
export * from './s3rver.js';
export * from './eventually.js';
