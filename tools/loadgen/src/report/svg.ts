/** Dependency-free SVG line charts: axes with round ticks, grid, legend, linear or log axes. */

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  dashed?: boolean;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  logX?: boolean;
  /** Draw steps (a histogram outline) instead of straight segments. */
  step?: boolean;
  width?: number;
  height?: number;
}

export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
];

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(+v.toPrecision(3));
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 820;
  const H = spec.height ?? 380;
  const m = { l: 64, r: 180, t: 40, b: 48 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const xs = spec.series
    .flatMap((s) => s.points.map((p) => p[0]))
    .filter((x) => !spec.logX || x > 0);
  const ys = spec.series.flatMap((s) => s.points.map((p) => p[1]));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${m.l}" y="22" font-size="15" font-weight="600">${escapeXml(spec.title)}</text>`,
  ];
  if (!xs.length) {
    parts.push(
      `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#888">no data</text></svg>`,
    );
    return parts.join('\n');
  }
  const [x0, xMax] = extent(xs);
  const x1 = xMax === x0 ? x0 + 1 : xMax;
  const [, yMax] = extent(ys);
  const y1 = yMax > 0 ? yMax * 1.08 : 1;
  const lx0 = Math.log(x0);
  const lx1 = Math.log(x1);
  const sx = (x: number) =>
    m.l + (spec.logX ? (Math.log(x) - lx0) / (lx1 - lx0) : (x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => m.t + ph - (y / y1) * ph;
  for (const t of niceTicks(0, y1)) {
    if (t > y1) continue;
    parts.push(
      `<line x1="${m.l}" x2="${m.l + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${m.l - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" fill="#444">${formatTick(t)}</text>`,
    );
  }
  for (const t of spec.logX ? logTicks(x0, x1) : niceTicks(x0, x1, 8)) {
    parts.push(
      `<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${m.t}" y2="${m.t + ph}" stroke="#f0f0f0"/>`,
      `<text x="${sx(t).toFixed(1)}" y="${m.t + ph + 16}" text-anchor="middle" fill="#444">${formatTick(t)}</text>`,
    );
  }
  parts.push(
    `<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
    `<text x="${m.l + pw / 2}" y="${H - 10}" text-anchor="middle" fill="#222">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle" fill="#222">${escapeXml(spec.yLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = s.points.filter((p) => !spec.logX || p[0] > 0);
    const coords: string[] = [];
    pts.forEach(([x, y], j) => {
      if (spec.step && j > 0) coords.push(`${sx(x).toFixed(1)},${sy(pts[j - 1][1]).toFixed(1)}`);
      coords.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    });
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${coords.join(' ')}"><title>${escapeXml(s.name)}</title></polyline>`,
    );
    const ly = m.t + 8 + i * 18;
    parts.push(
      `<line x1="${m.l + pw + 12}" x2="${m.l + pw + 34}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${m.l + pw + 40}" y="${ly + 4}" fill="#222">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
