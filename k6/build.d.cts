import type { BuildOptions } from 'esbuild';

export function bundleOptions(entryPoints: string[], overrides?: BuildOptions): BuildOptions;
export function scenarioEntries(): string[];
