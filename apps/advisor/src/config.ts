/** The advisor's typed configuration, validated at start-up (a bad value names its variable). */
import { ConfigError, EnvReader } from '@iotmon/config';

export interface ScrapeTarget {
  job: string;
  url: string;
}

export interface LlmConfig {
  /** OpenAI-compatible base URL (…/v1): OpenAI, Ollama, vLLM, llama.cpp server. */
  url: string;
  model: string;
  apiKey: string;
  timeoutMs: number;
  /** Read-only tool calls the model may make per question. */
  maxToolCalls: number;
}

export interface AdvisorConfig {
  port: number;
  host: string;
  /** Read-only role (iotmon_advisor): every SQL template runs on this. */
  readDatabaseUrl: string;
  /** The role that may only insert and read advice_history (iotmon_advisor_history). */
  historyDatabaseUrl: string;
  prometheusUrl?: string;
  /** Without Prometheus: the apps' own /metrics (and /health/ready), sampled. */
  scrapeTargets: ScrapeTarget[];
  lokiUrl?: string;
  /** Without Loki: a JSON-lines (or `[app] …`) log file of the stack to follow; `-` is stdin. */
  logFile?: string;
  sampleIntervalMs: number;
  evaluateIntervalMs: number;
  /** Retention the api applies (its RETENTION_DAYS), to judge partitions against. */
  retentionDays: number;
  diskBudgetBytes?: number;
  tlsTargets: string[];
  llm?: LlmConfig;
  /** The admin machine key (x-api-key), as on the api and alerting. */
  adminApiKey?: string;
  /** The api's and alerting's token secret: signed-in users' access tokens are accepted. */
  jwtSecret?: string;
  rateLimit: { askPerMinute: number; readsPerMinute: number };
}

export const ADVISOR_CONFIG = Symbol('ADVISOR_CONFIG');

function url(read: EnvReader, name: string, protocols: RegExp): string | undefined {
  const v = read.optional(name);
  if (v === undefined) return undefined;
  if (!protocols.test(v))
    throw new ConfigError(
      name,
      `must be a ${protocols.source} URL, got "${v.replace(/:[^:@/]*@/, ':***@')}"`,
    );
  return v.replace(/\/+$/, '');
}

/** `job=url,job=url`: the apps to sample when there is no Prometheus. */
export function parseScrapeTargets(raw: string | undefined): ScrapeTarget[] {
  if (!raw) return [];
  return raw.split(',').map((part) => {
    const m = part.trim().match(/^([a-z][a-z0-9_-]*)=(https?:\/\/\S+)$/i);
    if (!m)
      throw new ConfigError(
        'ADVISOR_SCRAPE_TARGETS',
        `entries are job=http://host:port, got "${part}"`,
      );
    return { job: m[1], url: m[2].replace(/\/+$/, '') };
  });
}

export function loadAdvisorConfig(env: NodeJS.ProcessEnv = process.env): AdvisorConfig {
  const read = new EnvReader(env);
  const pg = /^postgres(ql)?:\/\//;
  const readDatabaseUrl = url(read, 'ADVISOR_DATABASE_URL', pg);
  if (!readDatabaseUrl)
    throw new ConfigError(
      'ADVISOR_DATABASE_URL',
      'is required (the read-only role iotmon_advisor)',
    );
  const historyDatabaseUrl = url(read, 'ADVISOR_HISTORY_DATABASE_URL', pg);
  if (!historyDatabaseUrl)
    throw new ConfigError(
      'ADVISOR_HISTORY_DATABASE_URL',
      'is required (the role iotmon_advisor_history)',
    );
  const llmUrl = url(read, 'ADVISOR_LLM_URL', /^https?:\/\//);
  const adminApiKey = read.optional('ADMIN_API_KEY');
  if (adminApiKey !== undefined && adminApiKey.length < 16)
    throw new ConfigError('ADMIN_API_KEY', 'must have 16 or more characters');
  const jwtSecret = read.optional('AUTH_JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32)
    throw new ConfigError('AUTH_JWT_SECRET', 'must be at least 32 characters');
  const budget = read.optional('ADVISOR_DB_DISK_BUDGET_BYTES');
  if (budget !== undefined && !/^\d+$/.test(budget))
    throw new ConfigError(
      'ADVISOR_DB_DISK_BUDGET_BYTES',
      `must be a number of bytes, got "${budget}"`,
    );
  return {
    port: read.int('PORT', 3004, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    readDatabaseUrl,
    historyDatabaseUrl,
    prometheusUrl: url(read, 'PROMETHEUS_URL', /^https?:\/\//),
    scrapeTargets: parseScrapeTargets(read.optional('ADVISOR_SCRAPE_TARGETS')),
    lokiUrl: url(read, 'LOKI_URL', /^https?:\/\//),
    logFile: read.optional('ADVISOR_LOG_FILE'),
    sampleIntervalMs: read.int('ADVISOR_SAMPLE_INTERVAL_MS', 5_000, 200, 300_000),
    evaluateIntervalMs: read.int('ADVISOR_EVALUATE_INTERVAL_MS', 5_000, 200, 300_000),
    retentionDays: read.int('RETENTION_DAYS', 0, 0, 36_500),
    diskBudgetBytes: budget === undefined ? undefined : Number(budget),
    tlsTargets: (read.optional('ADVISOR_TLS_TARGETS') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    llm: llmUrl
      ? {
          url: llmUrl,
          model: read.string('ADVISOR_LLM_MODEL', 'gpt-4o-mini'),
          apiKey: read.string('ADVISOR_LLM_API_KEY', 'none'),
          timeoutMs: read.int('ADVISOR_LLM_TIMEOUT_MS', 20_000, 100, 600_000),
          maxToolCalls: read.int('ADVISOR_LLM_MAX_TOOL_CALLS', 4, 0, 20),
        }
      : undefined,
    adminApiKey,
    jwtSecret,
    rateLimit: {
      askPerMinute: read.int('ADVISOR_ASK_PER_MINUTE', 10, 1, 10_000),
      readsPerMinute: read.int('ADVISOR_READS_PER_MINUTE', 120, 1, 100_000),
    },
  };
}
