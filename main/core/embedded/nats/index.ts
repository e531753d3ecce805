export { startNats, type RunningNats, type StartNatsOptions } from './start-nats.js';
export { resolveNatsServer, kymaLocalHome, INSTALL_HINT } from './binary.js';
export { describeHolder, findPortHolder, isPortFree, pickFreePort, type PortHolder } from './port-holder.js';
