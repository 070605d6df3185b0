/**
 * The LLM half of the evaluation (only with ADVISOR_LLM_URL set): each scenario with a
 * question is asked with the detectors' findings, and passes when the answer cites every
 * expected finding. Tools answer from the scenario's snapshot (no live database).
 */
import { runDetectors } from '../src/detectors';
import { loadAdvisorConfig } from '../src/config';
import { LlmAdvisor } from '../src/llm/llm-advisor';
import type { Scenario } from './scenario';
import { matches } from './score';

export async function scoreLlm(scenarios: Scenario[]): Promise<void> {
  const config = loadAdvisorConfig({
    ...process.env,
    ADVISOR_DATABASE_URL: 'postgres://unused/x',
    ADVISOR_HISTORY_DATABASE_URL: 'postgres://unused/x',
  });
  const llm = new LlmAdvisor(config.llm!);
  const asked = scenarios.filter((s) => s.question);
  let passed = 0;
  for (const s of asked) {
    const findings = runDetectors(s.snapshot);
    try {
      const r = await llm.ask(
        s.question!,
        findings,
        {
          findings: () => findings,
          snapshot: () => s.snapshot,
          sql: async (name) => (s.snapshot.tables as Record<string, unknown[]>)[name] ?? [],
          logs: async (p) => s.snapshot.logs.filter((l) => new RegExp(p, 'i').test(l.msg)),
        },
        { call: () => undefined, tool: () => undefined },
      );
      const cited = findings.filter((f) => r.citations.includes(f.id));
      const ok = s.expect.every((e) => cited.some((f) => matches(f, e)));
      if (ok) passed++;
      console.log(
        `${ok ? 'pass' : 'FAIL'}  llm ${s.name}: cited ${r.citations.join(', ') || 'nothing'}`,
      );
    } catch (e) {
      console.log(`FAIL  llm ${s.name}: ${(e as Error).message}`);
    }
  }
  console.log(`advisor_llm_pass=${passed}/${asked.length}`);
}
