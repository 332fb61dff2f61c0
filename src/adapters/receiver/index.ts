export {
  type Delivery,
  MAX_BODY_BYTES,
  type Receiver,
  type ReceiverOptions,
  startReceiver,
} from './server.js';
