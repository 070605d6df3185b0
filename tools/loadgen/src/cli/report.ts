/** `loadgen report`: k6 / loadgen results -> Markdown + HTML report with SVG plots. */
import { buildReport } from '../report/build-report';
import { readCli, stringFlag } from './args';

const HELP = `usage: node tools/run-ts.mjs tools/loadgen/src/cli/report.ts [options] <results dir or files...>
Reads k6 \`--out json\` point files and \`--summary-export\` files (from k6 or loadgen) and
writes report.md, report.html, results.json and plots/*.svg.

  --out DIR                 where the report goes (default: the first input directory)
  --title TEXT              report title
  --baseline FILE           compare with a saved baseline and flag regressions
  --save-baseline FILE      save this run's numbers as a baseline
  --fail-on-regression      exit 3 when the comparison finds a regression`;

export async function main(argv: string[]): Promise<number> {
  const args = readCli(argv, HELP, [
    'out',
    'title',
    'baseline',
    'save-baseline',
    'fail-on-regression',
    'help',
  ]);
  if (!args) return 0;
  if (!args.positional.length) throw new Error('no input given (see --help)');
  const out = await buildReport({
    inputs: args.positional,
    outDir: stringFlag(args, 'out') ?? args.positional[0],
    title: stringFlag(args, 'title'),
    baselineFile: stringFlag(args, 'baseline'),
    saveBaselineFile: stringFlag(args, 'save-baseline'),
  });
  console.log(`report: ${out.runs} run(s), ${out.plots.length} plots -> ${out.html}`);
  for (const r of out.regressions) {
    console.log(
      `  REGRESSION ${r.id} ${r.metric}: ${r.baseline.toFixed(2)} -> ${r.current.toFixed(2)}`,
    );
  }
  return out.regressions.length && args.flags['fail-on-regression'] ? 3 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`loadgen report: ${err.message}`);
      process.exit(2);
    },
  );
}
