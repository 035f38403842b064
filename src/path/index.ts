// The path engine: expected hops from cluster facts, per CNI mode.
export { predictPath } from './predict.js';
export { resolveEndpoint } from './resolve.js';
export { MODE_RULES, predictedModes } from './modes/index.js';
export type { ModeRules, Step, WalkContext } from './walk.js';
export type * from './types.js';
