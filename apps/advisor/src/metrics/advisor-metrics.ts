/**
 * The advisor's own Prometheus metrics: evaluations, findings, LLM calls, latency, tokens,
 * fallbacks. On prom-client's registry, which the server kit serves at /metrics; a metric
 * declared again (a second app in one test process) is reused.
 */
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, register } from 'prom-client';

function reuse<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

@Injectable()
export class AdvisorMetrics {
  readonly findings = reuse(
    'advisor_findings',
    () =>
      new Gauge({
        name: 'advisor_findings',
        help: 'Current findings by detector and severity',
        labelNames: ['detector', 'severity'],
      }),
  );
  readonly evaluationSeconds = reuse(
    'advisor_evaluation_seconds',
    () =>
      new Histogram({
        name: 'advisor_evaluation_seconds',
        help: 'One evaluation: collecting the snapshot and running every detector',
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );
  readonly questions = reuse(
    'advisor_questions_total',
    () =>
      new Counter({
        name: 'advisor_questions_total',
        help: 'Questions answered, by source (llm, detectors)',
        labelNames: ['source'],
      }),
  );
  readonly llmCalls = reuse(
    'advisor_llm_calls_total',
    () =>
      new Counter({
        name: 'advisor_llm_calls_total',
        help: 'Chat completion requests sent to the LLM endpoint, by outcome (ok, error, timeout)',
        labelNames: ['outcome'],
      }),
  );
  readonly llmSeconds = reuse(
    'advisor_llm_request_seconds',
    () =>
      new Histogram({
        name: 'advisor_llm_request_seconds',
        help: 'Latency of one question answered by the LLM, tool calls included',
        buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60],
      }),
  );
  readonly llmTokens = reuse(
    'advisor_llm_tokens_total',
    () =>
      new Counter({
        name: 'advisor_llm_tokens_total',
        help: 'Tokens reported by the LLM endpoint, by kind (prompt, completion)',
        labelNames: ['kind'],
      }),
  );
  readonly toolCalls = reuse(
    'advisor_llm_tool_calls_total',
    () =>
      new Counter({
        name: 'advisor_llm_tool_calls_total',
        help: 'Tool calls the LLM asked for, by tool and outcome (run, refused)',
        labelNames: ['tool', 'outcome'],
      }),
  );
  readonly fallbacks = reuse(
    'advisor_llm_fallbacks_total',
    () =>
      new Counter({
        name: 'advisor_llm_fallbacks_total',
        help: 'Questions answered from the detectors alone because the LLM failed, timed out or is not configured',
        labelNames: ['reason'],
      }),
  );
}
