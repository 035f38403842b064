// The three pieces of the path-checking work a lab check uses, in one place:
// the trace parser, the path engine, the checker and the evidence it asks for.
import { checkTrace } from '../check/check.js';
import { evidencePlan } from '../check/evidence.js';
import { predictPath } from '../path/predict.js';
import { parseTrace } from '../trace/parse.js';

export const grading = { parseTrace, predictPath, checkTrace, evidencePlan };
