export { createDuckdbDestination, type DuckdbDestinationOptions } from './destination.js';
