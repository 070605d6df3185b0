/** The advisor's own Prometheus metrics: evaluations, findings, LLM calls, latency, tokens, fallbacks. */
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

@Injectable()
export class AdvisorMetrics {
  readonly registry = new Registry();
  readonly findings = new Gauge({
    name: 'advisor_findings',
    help: 'Current findings by detector and severity',
    labelNames: ['detector', 'severity'],
    registers: [this.registry],
  });
  readonly evaluationSeconds = new Histogram({
    name: 'advisor_evaluation_seconds',
    help: 'One evaluation: collecting the snapshot and running every detector',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly questions = new Counter({
    name: 'advisor_questions_total',
    help: 'Questions answered, by source (llm, detectors)',
    labelNames: ['source'],
    registers: [this.registry],
  });
  readonly llmCalls = new Counter({
    name: 'advisor_llm_calls_total',
    help: 'Chat completion requests sent to the LLM endpoint, by outcome (ok, error, timeout)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly llmSeconds = new Histogram({
    name: 'advisor_llm_request_seconds',
    help: 'Latency of one question answered by the LLM, tool calls included',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 60],
    registers: [this.registry],
  });
  readonly llmTokens = new Counter({
    name: 'advisor_llm_tokens_total',
    help: 'Tokens reported by the LLM endpoint, by kind (prompt, completion)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly toolCalls = new Counter({
    name: 'advisor_llm_tool_calls_total',
    help: 'Tool calls the LLM asked for, by tool and outcome (run, refused)',
    labelNames: ['tool', 'outcome'],
    registers: [this.registry],
  });
  readonly fallbacks = new Counter({
    name: 'advisor_llm_fallbacks_total',
    help: 'Questions answered from the detectors alone because the LLM failed, timed out or is not configured',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
