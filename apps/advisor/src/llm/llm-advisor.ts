/**
 * The LLM layer (LangChain.js over an OpenAI-compatible chat endpoint): the model gets the
 * detectors' findings, may call the read-only tools a few times, and answers the operator's
 * question citing finding ids. Everything sent is pseudonymised; the answer is mapped back.
 * Errors and timeouts throw LlmFailure so the caller can fall back to the detectors.
 */
import {
  AIMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import type { Finding } from '../detectors';
import type { LlmConfig } from '../config';
import { Pseudonymiser } from './pseudonymiser';
import { READ_ONLY_TOOL_NAMES, READ_ONLY_TOOLS, type ToolDeps } from './read-only-tools';

export interface ToolCallRecord {
  name: string;
  args: Record<string, unknown>;
  outcome: 'run' | 'refused' | 'failed';
}

export interface LlmAnswer {
  answer: string;
  citations: string[];
  toolCalls: ToolCallRecord[];
  tokens: { prompt: number; completion: number };
}

export class LlmFailure extends Error {
  constructor(
    readonly reason: 'timeout' | 'error',
    message: string,
  ) {
    super(message);
  }
}

const SYSTEM = `You are the operations advisor of iotmon, an IoT monitoring platform (edge nodes, MQTT, an ingestion api on PostgreSQL, alerting with webhooks).
Deterministic detectors have produced the findings below; they are the facts. Rank them by what to fix first, explain causes and consequences, and answer the operator's question.
Cite every finding you rely on by its id in square brackets, e.g. [database-unreachable:postgresql]. Do not invent numbers: use the findings or call a tool.
You may call only the read-only tools offered; call one only when the findings do not answer the question. Identifiers such as device-1 are pseudonyms: use them as they are.`;

export interface LlmEvents {
  call(outcome: 'ok' | 'error' | 'timeout'): void;
  tool(name: string, outcome: ToolCallRecord['outcome']): void;
}

export class LlmAdvisor {
  private readonly model: ChatOpenAI;

  constructor(private readonly config: LlmConfig) {
    this.model = new ChatOpenAI({
      model: config.model,
      apiKey: config.apiKey,
      configuration: { baseURL: config.url },
      temperature: 0,
      timeout: config.timeoutMs,
      maxRetries: 0,
    });
  }

  async ask(
    question: string,
    findings: Finding[],
    deps: ToolDeps,
    events: LlmEvents,
  ): Promise<LlmAnswer> {
    const names = Pseudonymiser.fromSnapshot(deps.snapshot(), findings.flatMap(idsOf));
    const bound = this.model.bindTools(
      READ_ONLY_TOOLS.map((t) => ({
        type: 'function' as const,
        function: { name: t.name, description: t.description, parameters: t.parameters },
      })),
    );
    const messages: BaseMessage[] = [
      new SystemMessage(SYSTEM),
      new HumanMessage(
        names.hide(
          `Findings (JSON):\n${JSON.stringify(findings.map(brief))}\n\nQuestion: ${question}`,
        ),
      ),
    ];
    const toolCalls: ToolCallRecord[] = [];
    const tokens = { prompt: 0, completion: 0 };
    const deadline = AbortSignal.timeout(this.config.timeoutMs);
    for (let round = 0; ; round++) {
      let reply: AIMessage;
      try {
        reply = (await bound.invoke(messages, { signal: deadline })) as AIMessage;
        events.call('ok');
      } catch (e) {
        const timeout = deadline.aborted || /timed? ?out|abort/i.test((e as Error).message);
        events.call(timeout ? 'timeout' : 'error');
        throw new LlmFailure(timeout ? 'timeout' : 'error', (e as Error).message);
      }
      tokens.prompt += reply.usage_metadata?.input_tokens ?? 0;
      tokens.completion += reply.usage_metadata?.output_tokens ?? 0;
      messages.push(reply);
      const calls = reply.tool_calls ?? [];
      if (!calls.length || round >= this.config.maxToolCalls) {
        const answer = names.reveal(textOf(reply));
        if (!answer.trim()) throw new LlmFailure('error', 'the model returned no answer');
        const known = new Set(findings.map((f) => f.id));
        const citations = [...answer.matchAll(/\[([a-z-]+:[^\]\s]+)\]/g)]
          .map((m) => m[1])
          .filter((id) => known.has(id));
        return { answer, citations: [...new Set(citations)], toolCalls, tokens };
      }
      for (const call of calls) {
        const args = JSON.parse(names.reveal(JSON.stringify(call.args ?? {}))) as Record<
          string,
          unknown
        >;
        const tool = READ_ONLY_TOOLS.find((t) => t.name === call.name);
        let content: string;
        if (!tool || !READ_ONLY_TOOL_NAMES.has(call.name)) {
          toolCalls.push({ name: call.name, args, outcome: 'refused' });
          events.tool(call.name, 'refused');
          content = `refused: "${call.name}" is not one of the read-only tools (${[...READ_ONLY_TOOL_NAMES].join(', ')})`;
        } else {
          try {
            const result = await tool.run(args, deps);
            learnIds(result, names);
            toolCalls.push({ name: call.name, args, outcome: 'run' });
            events.tool(call.name, 'run');
            content = JSON.stringify(result).slice(0, 12_000);
          } catch (e) {
            toolCalls.push({ name: call.name, args, outcome: 'failed' });
            events.tool(call.name, 'failed');
            content = `failed: ${(e as Error).message}`;
          }
        }
        messages.push(
          new ToolMessage({ tool_call_id: call.id ?? call.name, content: names.hide(content) }),
        );
      }
    }
  }
}

/** The part of a finding the model needs; evidence rows are cut to a few. */
function brief(f: Finding) {
  return {
    id: f.id,
    severity: f.severity,
    title: f.title,
    confidence: f.confidence,
    suggestion: f.suggestion,
    evidence: f.evidence.map((e) => ({
      kind: e.kind,
      source: e.source,
      detail: e.detail,
      rows: e.rows?.slice(0, 3),
      lines: e.lines?.slice(0, 3),
    })),
  };
}

function idsOf(f: Finding): string[] {
  const out: string[] = [];
  for (const e of f.evidence)
    for (const r of e.rows ?? [])
      for (const k of ['device_id', 'id']) if (typeof r[k] === 'string') out.push(r[k] as string);
  return out;
}

/** Device ids, names and locations in tool results that the snapshot did not know yet. */
function learnIds(v: unknown, names: Pseudonymiser): void {
  if (Array.isArray(v)) for (const x of v) learnIds(x, names);
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['device_id'] === 'string') names.add('device', o['device_id']);
    if (typeof o['id'] === 'string' && 'presence' in o) names.add('device', o['id']);
    if (typeof o['name'] === 'string' && 'location' in o) names.add('name', o['name']);
    if (typeof o['location'] === 'string') names.add('location', o['location']);
    for (const x of Object.values(o)) if (x && typeof x === 'object') learnIds(x, names);
  }
}

function textOf(m: AIMessage): string {
  if (typeof m.content === 'string') return m.content;
  return m.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : '')).join('');
}
