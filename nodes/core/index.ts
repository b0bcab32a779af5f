// The pure core: no n8n imports below this folder. index.js re-exports this module as the programmatic API.
export * from './signatures';
export * from './http';
export * from './dedupe';
export * from './delivery';
export * from './circuit';
