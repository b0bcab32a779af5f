export * from './types';
export * from './key';
export * from './memory-store';
export * from './redis-store';
export * from './decisions';
