export { createSnowflakeDestination } from './destination.js';
