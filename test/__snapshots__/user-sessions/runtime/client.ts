/**
 * The typed client machinery generated code imports: definitions (definitions.ts), the channel
 * core that validates, encodes and routes (channel.ts), and the endpoints it hands out (endpoints.ts).
 */
export * from './definitions.js';
export { ChannelCore, type ChannelEndpoint, type ChannelRequestEndpoint, type Routed } from './channel.js';
export * from './endpoints.js';
