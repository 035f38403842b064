// The checker: a parsed trace against a prediction, with a diagnosis.
export { checkTrace } from './check.js';
export { gradeTrace, type GradeResult } from './grade.js';
export { formatVerdict, type VerdictView } from './format.js';
export { evidenceItem, evidenceLines, evidencePlan, trimEvidence, type Evidence, type EvidenceItem, type EvidencePlan } from './evidence.js';
