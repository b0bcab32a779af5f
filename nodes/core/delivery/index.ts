/** Delivery core: retry policy, Retry-After, idempotency keys, resumable state and the delivery loop. */
export * from './policy';
export * from './retry-after';
export * from './http-date';
export * from './send-error';
export * from './request';
export * from './report';
export * from './idempotency';
export * from './state';
export * from './target';
export * from './concurrency';
export * from './deliver';
export * from './guard';
export * from './outgoing-signature';
