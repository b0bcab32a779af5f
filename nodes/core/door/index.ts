export * from './answers';
export * from './repeats';
export * from './conditions';
export * from './reasons';
