export { COUNTER, REJECTED } from './backend';
export { defaultRuleSet } from './default-rule-set';
export {
  createEvaluator,
  Evaluator,
  RuleSetError,
  type BackendKind,
  type EvaluatorOptions,
  type EvaluatorStats,
  type ReadingColumns,
  type SwapResult,
} from './evaluator';
export { generateSource } from './codegen';
export { buildProgram } from './program';
export { ReferenceEvaluator } from './reference';
export { renderMessage, TransitionBuffer, type Transition } from './transitions';
export { LIMITS, validateRuleSet, type ValidationError, type ValidationResult } from './validate';
