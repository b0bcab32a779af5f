export * from './ip-allowlist';
export * from './rate-limiter';
export * from './body-size';
export * from './rejection';
export * from './body-read';
