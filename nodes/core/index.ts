export * from './signatures';
export * from './delivery';
