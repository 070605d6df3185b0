/**
 * `nx run advisor:eval`: runs the detectors over every scenario fixture and scores them; with
 * ADVISOR_LLM_URL set it also asks the LLM each scenario's question and checks that its answer
 * cites the expected findings. Last line: advisor_detector_pass=<passed>/<total> advisor_false_alarms=<n>
 */
import { runDetectors } from '../src/detectors';
import { loadScenarios } from './scenario';
import { score } from './score';

async function main() {
  if (process.argv.includes('--help')) {
    console.log(
      'usage: nx run advisor:eval  (ADVISOR_LLM_URL/MODEL/KEY: also score the LLM answers)',
    );
    return;
  }
  const scenarios = loadScenarios();
  let passed = 0;
  let falseAlarms = 0;
  for (const s of scenarios) {
    const r = score(s, runDetectors(s.snapshot));
    if (r.passed) passed++;
    falseAlarms += r.falseAlarms.length;
    const tag = r.passed ? 'pass' : 'FAIL';
    console.log(`${tag}  ${s.name.padEnd(34)} ${s.origin.padEnd(11)} fault: ${s.fault}`);
    for (const m of r.missing)
      console.log(`      missing ${m.detector}${m.subject ? ` (${m.subject})` : ''}`);
    for (const f of r.falseAlarms) console.log(`      false alarm ${f.id}: ${f.title}`);
  }
  if (process.env['ADVISOR_LLM_URL']) {
    const { scoreLlm } = await import('./llm-eval');
    await scoreLlm(scenarios);
  }
  const recorded = scenarios.filter((s) => s.origin === 'recorded').length;
  console.log(
    `${scenarios.length} scenarios (${recorded} recorded, ${scenarios.length - recorded} constructed), ${scenarios.filter((s) => s.expect.length === 0).length} healthy`,
  );
  console.log(
    `advisor_detector_pass=${passed}/${scenarios.length} advisor_false_alarms=${falseAlarms}`,
  );
  if (passed < scenarios.length || falseAlarms > 0) process.exitCode = 1;
}

void main();
