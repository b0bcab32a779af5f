/** Destination protection: circuit breaker and rate limit per destination, with memory and Redis stores. */
export * from './breaker';
export * from './rate';
export * from './types';
export * from './memory-store';
export * from './redis-store';
export * from './backpressure';
