/**
 * The tools the LLM may call: each reads through the advisor's read-only sources (the
 * snapshot of the last evaluation, a PromQL selector, a log search, a named SQL template on
 * the read-only role). There is no tool that writes; any other name is refused.
 */
import type { Finding, Snapshot } from '../detectors';
import { SQL_TEMPLATES } from '../sources/fleet-queries';

export interface ToolDeps {
  findings(): Finding[];
  snapshot(): Snapshot | undefined;
  sql(name: string): Promise<unknown[]>;
  logs(pattern: string): Promise<unknown[]>;
}

export interface ReadOnlyTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  run(args: Record<string, unknown>, deps: ToolDeps): Promise<unknown>;
}

const SERIES_POINTS = 20;

export const READ_ONLY_TOOLS: ReadOnlyTool[] = [
  {
    name: 'get_findings',
    description: 'The current findings of the deterministic detectors, with their evidence.',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    run: async (_a, d) => d.findings(),
  },
  {
    name: 'query_metric',
    description:
      'Recent samples of one metric (the last 10 minutes, at most 20 points per series), optionally filtered by job.',
    parameters: {
      type: 'object',
      properties: {
        metric: { type: 'string', description: 'metric name, e.g. readings_ingested_total' },
        job: { type: 'string' },
      },
      required: ['metric'],
      additionalProperties: false,
    },
    run: async (a, d) =>
      (d.snapshot()?.series ?? [])
        .filter(
          (s) =>
            s.metric === String(a['metric']) && (!a['job'] || s.labels['job'] === String(a['job'])),
        )
        .slice(0, 10)
        .map((s) => ({ labels: s.labels, points: s.points.slice(-SERIES_POINTS) })),
  },
  {
    name: 'search_logs',
    description:
      'Log lines of the stack from the last 10 minutes matching a regular expression (at most 30).',
    parameters: {
      type: 'object',
      properties: { pattern: { type: 'string' } },
      required: ['pattern'],
      additionalProperties: false,
    },
    run: async (a, d) => (await d.logs(String(a['pattern']).slice(0, 200))).slice(-30),
  },
  {
    name: 'run_sql_template',
    description: `Runs one named read-only SQL template and returns its rows (at most 50). Templates: ${SQL_TEMPLATES.map((t) => `${t.name} (${t.about})`).join('; ')}.`,
    parameters: {
      type: 'object',
      properties: { name: { type: 'string', enum: SQL_TEMPLATES.map((t) => t.name) } },
      required: ['name'],
      additionalProperties: false,
    },
    run: async (a, d) => (await d.sql(String(a['name']))).slice(0, 50),
  },
];

export const READ_ONLY_TOOL_NAMES = new Set(READ_ONLY_TOOLS.map((t) => t.name));
