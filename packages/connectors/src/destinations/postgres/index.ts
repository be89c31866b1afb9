export { createPostgresDestination } from './destination.js';
