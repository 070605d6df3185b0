/** A small `--name value` / `--flag` parser; every tool here prints its own --help. */
export interface ParsedArgs {
  flags: Record<string, string | true>;
  positional: string[];
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) {
      flags[a.slice(2, eq)] = a.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      flags[a.slice(2)] = argv[++i];
    } else {
      flags[a.slice(2)] = true;
    }
  }
  return { flags, positional };
}

/** A flag's string value, or undefined; `--x` without a value is an error for string flags. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  if (v === true) throw new Error(`--${name} needs a value`);
  return v;
}

/** Rejects flags the tool does not know, naming them. */
export function assertKnownFlags(args: ParsedArgs, known: readonly string[]): void {
  const unknown = Object.keys(args.flags).filter((f) => !known.includes(f));
  if (unknown.length)
    throw new Error(`unknown option(s): ${unknown.map((f) => `--${f}`).join(', ')}`);
}

/**
 * The start of every CLI here: parses argv, prints `help` and returns undefined for --help,
 * and rejects unknown flags.
 */
export function readCli(
  argv: readonly string[],
  help: string,
  known: readonly string[],
): ParsedArgs | undefined {
  const args = parseArgs(argv);
  if (args.flags['help']) {
    console.log(help);
    return undefined;
  }
  assertKnownFlags(args, [...known, 'help']);
  return args;
}
