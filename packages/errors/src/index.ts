export * from './app-error.js';
export * from './job-errors.js';
export * from './classify.js';
export * from './driver-errors.js';
