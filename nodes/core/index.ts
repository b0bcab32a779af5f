export * from './http';
export * from './dedupe';
