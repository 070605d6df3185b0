/** Current findings, questions (LLM with a detector fallback) and the history. */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Finding } from '../detectors';
import { actorName, type Principal } from '@iotmon/server-kit';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';
import { LlmAdvisor, LlmFailure, type ToolCallRecord } from '../llm/llm-advisor';
import { AdvisorMetrics } from '../metrics/advisor-metrics';
import { FleetReader } from '../sources/fleet-reader';
import { LOGS_SOURCE, type LogsSource } from '../sources/logs-source';
import { detectorAnswer } from './detector-answer';
import type { HistoryQueryDto } from './dto/history-query.dto';
import { FindingsEngine, type CurrentAdvice } from './findings-engine';
import { HistoryRepository, type HistoryRow } from './history.repository';

export interface Answer {
  question: string;
  answer: string;
  source: 'llm' | 'detectors';
  /** Why the detectors answered alone: no LLM configured, or how it failed. */
  fallback?: string;
  citations: string[];
  /** The findings cited, with their evidence. */
  findings: Finding[];
  toolCalls: ToolCallRecord[];
  at: string;
}

@Injectable()
export class AdviceService {
  private readonly log = new Logger('AdviceService');
  private readonly llm?: LlmAdvisor;

  constructor(
    @Inject(ADVISOR_CONFIG) config: AdvisorConfig,
    private readonly engine: FindingsEngine,
    private readonly history: HistoryRepository,
    private readonly metrics: AdvisorMetrics,
    private readonly fleet: FleetReader,
    @Inject(LOGS_SOURCE) private readonly logs: LogsSource,
  ) {
    this.llm = config.llm ? new LlmAdvisor(config.llm) : undefined;
  }

  current(): CurrentAdvice {
    return this.engine.advice();
  }

  async ask(question: string, who: Principal | undefined): Promise<Answer> {
    const findings = this.engine.advice().findings;
    const at = new Date().toISOString();
    let answer: Answer;
    if (!this.llm) {
      answer = {
        question,
        ...detectorAnswer(question, findings, 'no LLM endpoint configured'),
        source: 'detectors',
        fallback: 'not configured',
        findings: [],
        toolCalls: [],
        at,
      };
      this.metrics.fallbacks.inc({ reason: 'not_configured' });
    } else {
      const stop = this.metrics.llmSeconds.startTimer();
      try {
        const r = await this.llm.ask(
          question,
          findings,
          {
            findings: () => this.engine.advice().findings,
            snapshot: () => this.engine.snapshot(),
            sql: (name) => this.fleet.template(name),
            logs: (pattern) => this.logs.recent(600_000, pattern),
          },
          {
            call: (outcome) => this.metrics.llmCalls.inc({ outcome }),
            tool: (tool, outcome) => this.metrics.toolCalls.inc({ tool, outcome }),
          },
        );
        this.metrics.llmTokens.inc({ kind: 'prompt' }, r.tokens.prompt);
        this.metrics.llmTokens.inc({ kind: 'completion' }, r.tokens.completion);
        answer = {
          question,
          answer: r.answer,
          citations: r.citations,
          source: 'llm',
          findings: [],
          toolCalls: r.toolCalls,
          at,
        };
      } catch (e) {
        const reason = e instanceof LlmFailure ? e.reason : 'error';
        this.log.warn(`LLM ${reason}, answering from the detectors: ${(e as Error).message}`);
        this.metrics.fallbacks.inc({ reason });
        answer = {
          question,
          ...detectorAnswer(
            question,
            findings,
            `the LLM ${reason === 'timeout' ? 'timed out' : 'failed'}`,
          ),
          source: 'detectors',
          fallback: reason,
          findings: [],
          toolCalls: [],
          at,
        };
      } finally {
        stop();
      }
    }
    answer.findings = findings.filter((f) => answer.citations.includes(f.id));
    this.metrics.questions.inc({ source: answer.source });
    await this.history.append([
      {
        kind: 'answer',
        at,
        actor: who ? actorName(who) : 'anonymous',
        question,
        source: answer.source,
        body: answer,
      },
    ]);
    return answer;
  }

  historyPage(q: HistoryQueryDto): Promise<HistoryRow[]> {
    return this.history.list(q.limit ?? 50, q.before, q.kind);
  }
}
