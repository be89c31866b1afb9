export { createLocalStage } from './local-stage.js';
