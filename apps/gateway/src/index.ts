export { buildApp } from './app.js';
export {
  startGateway,
  PortInUseError,
  isLoopback,
  type StartGatewayOptions,
  type RunningGateway,
} from './server.js';
export { createGatewayDeps, closeGatewayDeps, type GatewayDeps, type GatewayDepsOptions } from './deps.js';
