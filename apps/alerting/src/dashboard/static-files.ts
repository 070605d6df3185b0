/**
 * The dashboard's files: the page from apps/dashboard/public and uPlot from node_modules,
 * served by name from two fixed directories (no paths, so nothing outside them is reachable).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DASHBOARD_CONFIG, type DashboardConfig } from './dashboard-config';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A bare file name with a known extension: no directories, no dot files. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$/;

/** The uPlot files the page loads; nothing else of node_modules is served. */
const UPLOT_FILES = new Set(['uPlot.esm.js', 'uPlot.min.css']);

@Injectable()
export class StaticFiles {
  readonly publicDir: string;
  private readonly uplotDir: string;

  constructor(@Inject(DASHBOARD_CONFIG) config: DashboardConfig) {
    this.publicDir = config.publicDir ? resolve(config.publicDir) : findPublicDir(__dirname);
    this.uplotDir = join(dirname(require.resolve('uplot/package.json')), 'dist');
  }

  /** A file of apps/dashboard/public, or undefined. */
  page(name: string): Promise<StaticFile | undefined> {
    return this.load(this.publicDir, name);
  }

  /** One of the vendored uPlot files, or undefined. */
  vendor(name: string): Promise<StaticFile | undefined> {
    return UPLOT_FILES.has(name) ? this.load(this.uplotDir, name) : Promise.resolve(undefined);
  }

  private async load(dir: string, name: string): Promise<StaticFile | undefined> {
    const contentType = TYPES[extname(name)];
    if (!FILE_NAME.test(name) || name.includes('..') || !contentType) return undefined;
    try {
      return { body: await readFile(join(dir, name)), contentType };
    } catch {
      return undefined;
    }
  }
}

/** apps/dashboard/public from the source tree or from dist/ (both sit under the workspace). */
function findPublicDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps/dashboard/public');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return join(process.cwd(), 'apps/dashboard/public');
  }
}
