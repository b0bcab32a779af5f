export { parseJsonExact } from './parse';
export { canonicalJson, canonicalHash } from './canonical';
export { readJsonPath } from './path';
