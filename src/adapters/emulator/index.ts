export type { FaultKind, FaultSpec } from './faults.js';
export {
  EMULATOR_RANGES,
  EMULATOR_ROUTES,
  type EmulatorRoute,
  type RouteRateLimit,
} from './rate-limit.js';
export {
  DEFAULT_EMULATOR_TOKEN,
  DEFAULT_WINDOW_MS,
  type Emulator,
  type EmulatorClock,
  type EmulatorOptions,
  type LoggedRequest,
  startEmulator,
} from './server.js';
export type { WebhookStore } from './store.js';
export { EmulatorDataError } from './store.js';
