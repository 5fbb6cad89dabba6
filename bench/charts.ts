/**
 * Plain SVG charts for the benchmark's results (no dependency): grouped bars on a log scale
 * (throughput per store and workload) and lines (latency percentiles against concurrency).
 */
const PALETTE = ['#1b6ca8', '#e07b39', '#3c9d5d', '#b8405e', '#7d5ba6', '#8c6d31'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const compact = (value: number) => (value >= 1_000_000 ? `${round(value / 1_000_000)}M` : value >= 1000 ? `${round(value / 1000)}k` : `${round(value)}`);
const round = (value: number) => (value >= 100 ? Math.round(value) : Math.round(value * 10) / 10);

export interface Series {
  readonly name: string;
  /** One value per category (bars) or per x (lines); null where there is none. */
  readonly values: ReadonlyArray<number | null>;
}

function legend(series: readonly Series[], x: number, y: number): string {
  return series.map((entry, index) => `<g transform="translate(${x + (index % 3) * 250},${y + Math.floor(index / 3) * 18})"><rect width="12" height="12" fill="${PALETTE[index % PALETTE.length]}"/><text x="18" y="10" font-size="12" ${FONT}>${escape(entry.name)}</text></g>`).join('');
}

/** Grouped bars, log-scaled values (throughputs that span three orders of magnitude stay readable). */
export function barChart(options: { title: string; yLabel: string; categories: readonly string[]; series: readonly Series[] }): string {
  const width = 820;
  const legendRows = Math.ceil(options.series.length / 3);
  const top = 50 + legendRows * 18;
  const height = top + 300;
  const plot = { left: 70, right: width - 20, top, bottom: height - 40 };
  const values = options.series.flatMap((entry) => entry.values).filter((value): value is number => value !== null && value > 0);
  const low = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const y = (value: number) => plot.bottom - ((Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * (plot.bottom - plot.top);
  const groupWidth = (plot.right - plot.left) / options.categories.length;
  const barWidth = Math.min(36, (groupWidth - 16) / options.series.length);
  const parts: string[] = [];
  for (let decade = low; decade <= high; decade *= 10) {
    parts.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${y(decade)}" y2="${y(decade)}" stroke="#ddd"/><text x="${plot.left - 6}" y="${y(decade) + 4}" text-anchor="end" font-size="11" ${FONT}>${compact(decade)}</text>`);
  }
  options.categories.forEach((category, group) => {
    const start = plot.left + group * groupWidth + (groupWidth - barWidth * options.series.length) / 2;
    options.series.forEach((entry, index) => {
      const value = entry.values[group];
      const x = start + index * barWidth;
      if (value === null || value === undefined || value <= 0) {
        parts.push(`<text x="${x + barWidth / 2}" y="${plot.bottom - 4}" text-anchor="middle" font-size="10" fill="#888" ${FONT}>–</text>`);
        return;
      }
      parts.push(`<rect x="${x + 1}" y="${y(value)}" width="${barWidth - 2}" height="${plot.bottom - y(value)}" fill="${PALETTE[index % PALETTE.length]}"><title>${escape(`${entry.name} ${category}: ${value.toLocaleString('en-US')}`)}</title></rect>`);
      parts.push(`<text x="${x + barWidth / 2}" y="${y(value) - 3}" text-anchor="middle" font-size="9" ${FONT}>${compact(value)}</text>`);
    });
    parts.push(`<text x="${plot.left + group * groupWidth + groupWidth / 2}" y="${plot.bottom + 16}" text-anchor="middle" font-size="12" ${FONT}>${escape(category)}</text>`);
  });
  return svg(width, height, options.title, [
    legend(options.series, plot.left, 40),
    `<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" stroke="#888"/>`,
    `<text transform="translate(16,${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12" ${FONT}>${escape(options.yLabel)}</text>`,
    ...parts,
  ]);
}

/** Lines over x values spaced evenly (concurrency 1, 2, 4, … reads best that way). */
export function lineChart(options: { title: string; xLabel: string; yLabel: string; x: readonly number[]; series: readonly Series[] }): string {
  const width = 820;
  const legendRows = Math.ceil(options.series.length / 3);
  const top = 50 + legendRows * 18;
  const height = top + 300;
  const plot = { left: 70, right: width - 30, top, bottom: height - 50 };
  const values = options.series.flatMap((entry) => entry.values).filter((value): value is number => value !== null);
  const high = niceCeiling(Math.max(1, ...values));
  const xAt = (index: number) => plot.left + (options.x.length === 1 ? 0.5 : index / (options.x.length - 1)) * (plot.right - plot.left);
  const y = (value: number) => plot.bottom - (value / high) * (plot.bottom - plot.top);
  const parts: string[] = [];
  for (let tick = 0; tick <= 5; tick += 1) {
    const value = (high / 5) * tick;
    parts.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/><text x="${plot.left - 6}" y="${y(value) + 4}" text-anchor="end" font-size="11" ${FONT}>${compact(value)}</text>`);
  }
  options.x.forEach((value, index) => parts.push(`<text x="${xAt(index)}" y="${plot.bottom + 16}" text-anchor="middle" font-size="12" ${FONT}>${value}</text>`));
  options.series.forEach((entry, index) => {
    const colour = PALETTE[index % PALETTE.length]!;
    const points = entry.values.map((value, at) => (value === null ? null : `${xAt(at)},${y(value)}`)).filter((point): point is string => point !== null);
    parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.join(' ')}"/>`);
    entry.values.forEach((value, at) => {
      if (value !== null) parts.push(`<circle cx="${xAt(at)}" cy="${y(value)}" r="3" fill="${colour}"><title>${escape(`${entry.name} at ${options.x[at]}: ${value}`)}</title></circle>`);
    });
  });
  return svg(width, height, options.title, [
    legend(options.series, plot.left, 40),
    `<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" stroke="#888"/>`,
    `<text transform="translate(16,${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12" ${FONT}>${escape(options.yLabel)}</text>`,
    `<text x="${(plot.left + plot.right) / 2}" y="${height - 12}" text-anchor="middle" font-size="12" ${FONT}>${escape(options.xLabel)}</text>`,
    ...parts,
  ]);
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= value)!;
  return step * magnitude;
}

function svg(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escape(title)}">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600" ${FONT}>${escape(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
