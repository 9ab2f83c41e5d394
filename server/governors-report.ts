/**
 * The termly report for governors (issue 12 part 4), who by the DfE filtering and monitoring
 * standard review filtering and monitoring at least every year: what was blocked (by category
 * name), how that changed week by week, what staff did when warned before sending email, the
 * access requests handled, and the health of the installations.
 *
 * One self-contained HTML page: inline styles, charts as SVG drawn here, no script, so it prints
 * the same from the dashboard (the browser's Print, or Save as PDF) and from
 * `steward report governors --pdf` (headless Chromium's print-to-PDF). The dashboard's uPlot
 * charts need a canvas and a script; a printed report must not depend on one having run.
 */
import { addDays, daysBetween } from '../lib/report/day.ts';
import { allInstallations } from './all-installations.ts';
import { HEALTH_NAMES, HEALTH_PROBLEMS, type HealthReport, healthReport } from './health.ts';
import {
  categoryName,
  DISCLAIMER_OUTCOMES,
  detectorName,
  EMAIL_OUTCOMES,
  fmt,
  groupName,
  NAV_OUTCOMES,
  plural,
  ruleListVersionName,
} from './names.ts';
import type { Store, Summary } from './store/types.ts';
import { totalsOf } from './totals.ts';

/** Access requests handled in the period, when the server keeps them. */
export interface RequestTotals {
  received: number;
  approved: number;
  declined: number;
  pending: number;
}

export interface GovernorsData {
  schoolName: string;
  from: string;
  to: string;
  group: string | null;
  generatedAt: number;
  summary: Summary;
  /** Per group, when no group is chosen and installations report more than one. */
  groups: { group: string; blocked: number; warned: number; installations: number }[];
  health: HealthReport;
  requests: RequestTotals | null;
  eventsOn: boolean;
}

export async function governorsData(
  store: Store,
  options: {
    from: string;
    to: string;
    group?: string;
    now: number;
    schoolName?: string;
    requests?: RequestTotals | null;
  },
): Promise<GovernorsData> {
  const [summary, installations, groupTotals] = await Promise.all([
    store.summary(options.from, options.to, options.group),
    allInstallations(store),
    store.groupTotals(options.from, options.to),
  ]);
  const inGroup =
    options.group === undefined
      ? installations
      : installations.filter((i) => i.group === options.group);
  const byGroup = new Map<string, { blocked: number; warned: number; installations: number }>();
  const entry = (g: string) => {
    let e = byGroup.get(g);
    if (!e) {
      e = { blocked: 0, warned: 0, installations: 0 };
      byGroup.set(g, e);
    }
    return e;
  };
  for (const i of installations) entry(i.group ?? '').installations += 1;
  for (const t of groupTotals) {
    if (t.outcome === 'blocked') entry(t.group).blocked += t.count;
    if (t.outcome === 'warned') entry(t.group).warned += t.count;
  }
  const groups =
    options.group === undefined && byGroup.size > 1
      ? [...byGroup.entries()]
          .map(([group, e]) => ({ group, ...e }))
          .sort((a, b) => a.group.localeCompare(b.group))
      : [];
  return {
    schoolName: options.schoolName ?? '',
    from: options.from,
    to: options.to,
    group: options.group ?? null,
    generatedAt: options.now,
    summary,
    groups,
    health: healthReport(inGroup, options.now),
    requests: options.requests ?? null,
    eventsOn: false,
  };
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const shortDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const longDay = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));
const shortDayName = (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`));

// Okabe–Ito: told apart with the common colour-vision differences, and in greyscale by the
// marker shapes drawn with each line.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const MARKERS = ['circle', 'square', 'diamond', 'triangle', 'circle', 'square', 'diamond'] as const;

/** Weeks (7-day buckets from `from`) with the blocked count of each category in each. */
export function weeklyBlocked(summary: Summary): {
  weeks: string[];
  series: { category: string; values: number[] }[];
} {
  const weeks: string[] = [];
  const total = daysBetween(summary.from, summary.to) + 1;
  for (let d = 0; d < total; d += 7) weeks.push(addDays(summary.from, d));
  const byCategory = new Map<string, number[]>();
  for (const r of summary.navigation) {
    if (r.outcome !== 'blocked') continue;
    const week = Math.floor(daysBetween(summary.from, r.day) / 7);
    if (week < 0 || week >= weeks.length) continue;
    let values = byCategory.get(r.category);
    if (!values) {
      values = weeks.map(() => 0);
      byCategory.set(r.category, values);
    }
    values[week]! += r.count;
  }
  const series = [...byCategory.entries()]
    .map(([category, values]) => ({ category, values }))
    .sort((a, b) => b.values.reduce((x, y) => x + y, 0) - a.values.reduce((x, y) => x + y, 0))
    .slice(0, PALETTE.length);
  return { weeks, series };
}

function marker(shape: (typeof MARKERS)[number], x: number, y: number, colour: string): string {
  const r = 4;
  switch (shape) {
    case 'circle':
      return `<circle cx="${x}" cy="${y}" r="${r}" fill="${colour}"/>`;
    case 'square':
      return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" fill="${colour}"/>`;
    case 'diamond':
      return `<path d="M${x} ${y - r - 1}L${x + r + 1} ${y}L${x} ${y + r + 1}L${x - r - 1} ${y}Z" fill="${colour}"/>`;
    case 'triangle':
      return `<path d="M${x} ${y - r - 1}L${x + r + 1} ${y + r}L${x - r - 1} ${y + r}Z" fill="${colour}"/>`;
  }
}

/** A line chart of blocked visits per week per category, with a legend that names each line. */
export function trendChart(summary: Summary): string {
  const { weeks, series } = weeklyBlocked(summary);
  if (series.length === 0) return '<p>Nothing was blocked in this period.</p>';
  const width = 680;
  const height = 240;
  const left = 48;
  const right = 32;
  const top = 12;
  const bottom = 36;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const x = (i: number) =>
    left +
    (weeks.length === 1
      ? (width - left - right) / 2
      : (i * (width - left - right)) / (weeks.length - 1));
  const y = (v: number) => top + (height - top - bottom) * (1 - v / yMax);
  const parts: string[] = [];
  for (let v = 0; v <= yMax; v += step) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}" stroke="#ccc" stroke-width="1"/>`,
      `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${fmt(v)}</text>`,
    );
  }
  const labelEvery = Math.ceil(weeks.length / 8);
  weeks.forEach((w, i) => {
    if (i % labelEvery === 0) {
      parts.push(
        `<text x="${x(i)}" y="${height - bottom + 16}" text-anchor="middle" font-size="11">${escapeHtml(shortDayName(w))}</text>`,
      );
    }
  });
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 4}" text-anchor="middle" font-size="11">Week beginning</text>`,
  );
  series.forEach((s, n) => {
    const colour = PALETTE[n]!;
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"${n % 2 ? ' stroke-dasharray="6 3"' : ''}/>`,
      ...s.values.map((v, i) => marker(MARKERS[n]!, x(i), y(v), colour)),
    );
  });
  const legend = series
    .map((s, n) => {
      const swatch = `<svg width="28" height="12" aria-hidden="true"><line x1="0" x2="28" y1="6" y2="6" stroke="${PALETTE[n]}" stroke-width="2"${n % 2 ? ' stroke-dasharray="6 3"' : ''}/>${marker(MARKERS[n]!, 14, 6, PALETTE[n]!)}</svg>`;
      return `<li>${swatch} ${escapeHtml(categoryName(s.category))} (${fmt(s.values.reduce((a, b) => a + b, 0))})</li>`;
    })
    .join('');
  return `<figure>
<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="trend-title">
<title id="trend-title">Blocked visits per week, per category</title>
${parts.join('\n')}
</svg>
<figcaption>Blocked visits per week, per category. Key:<ul class="legend">${legend}</ul></figcaption>
</figure>`;
}

function niceStep(max: number): number {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough || 1));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= rough) return Math.max(1, m * magnitude);
  return Math.max(1, 10 * magnitude);
}

function table(caption: string, head: string[], rows: string[][]): string {
  return `<table><caption>${escapeHtml(caption)}</caption>
<thead><tr>${head.map((h, i) => `<th scope="col"${i ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td class="n">${escapeHtml(c)}</td>`)).join('')}</tr>`,
    )
    .join('\n')}</tbody></table>`;
}

const STYLE = `
body { font: 11pt/1.45 system-ui, "Segoe UI", Arial, sans-serif; color: #111; margin: 2rem auto; max-width: 48rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid #999; break-after: avoid; }
p.meta { color: #333; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; break-inside: avoid; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; }
.n { text-align: right; }
figure { margin: .5rem 0 1rem; break-inside: avoid; }
figcaption { font-size: .95em; }
ul.legend { list-style: none; padding: 0; margin: .25rem 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
ul.legend svg { vertical-align: middle; }
.summary { display: flex; gap: 1rem; flex-wrap: wrap; padding: 0; list-style: none; }
.summary li { border: 1px solid #999; padding: .5rem .75rem; min-width: 7.5rem; }
.summary strong { display: block; font-size: 1.4rem; }
footer { margin-top: 2rem; font-size: .9em; color: #333; }
@page { size: A4; margin: 16mm 14mm; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } .no-print { display: none; } }
`;

/**
 * Email warnings shown: the `warned` count where the browsers report it, else the outcomes (each
 * warning ends in one: went back, removed a recipient, sent anyway, blocked).
 */
function emailWarnings(rows: { detector: string; outcome: string; count: number }[]): number {
  const sum = (keep: (o: string) => boolean) =>
    rows
      .filter((r) => r.detector !== 'disclaimer' && keep(r.outcome))
      .reduce((n, r) => n + r.count, 0);
  return Math.max(
    sum((o) => o === 'warned'),
    sum((o) => o !== 'warned'),
  );
}

export function renderGovernorsReport(data: GovernorsData): string {
  const { summary, health } = data;
  const totals = totalsOf(summary);
  const count = (outcome: string) =>
    totals.navigationTotals.filter((t) => t.outcome === outcome).reduce((n, t) => n + t.count, 0);
  const title = `Filtering and monitoring report${data.schoolName ? ` – ${data.schoolName}` : ''}`;
  const period = `${longDay(data.from)} to ${longDay(data.to)}`;

  const categories = [...new Set(totals.navigationTotals.map((t) => t.category))].sort((a, b) =>
    categoryName(a).localeCompare(categoryName(b)),
  );
  const navCell = (c: string, o: string) =>
    fmt(totals.navigationTotals.find((t) => t.category === c && t.outcome === o)?.count ?? 0);
  const navTable =
    categories.length === 0
      ? '<p>Nothing was blocked or warned in this period.</p>'
      : table(
          `Visits per category, ${period}`,
          ['Category', ...Object.values(NAV_OUTCOMES)],
          categories.map((c) => [
            categoryName(c),
            ...Object.keys(NAV_OUTCOMES).map((o) => navCell(c, o)),
          ]),
        );

  // The disclaimer reminder is not a warning about data: its own table, its own outcomes.
  const warningTotals = totals.emailTotals.filter((t) => t.detector !== 'disclaimer');
  const detectors = [...new Set(warningTotals.map((t) => t.detector))].sort((a, b) =>
    detectorName(a).localeCompare(detectorName(b)),
  );
  const mailCell = (d: string, o: string) =>
    fmt(totals.emailTotals.find((t) => t.detector === d && t.outcome === o)?.count ?? 0);
  const mailTable =
    detectors.length === 0
      ? '<p>No email warnings in this period.</p>'
      : table(
          `Email warnings by kind of data and what staff did, ${period}`,
          ['Kind of data', ...Object.values(EMAIL_OUTCOMES)],
          detectors.map((d) => [
            detectorName(d),
            ...Object.keys(EMAIL_OUTCOMES).map((o) => mailCell(d, o)),
          ]),
        );
  const disclaimerTable = totals.emailTotals.some((t) => t.detector === 'disclaimer')
    ? `<h3>The school's disclaimer</h3>
<p>When a message to an outside address lacked the school's disclaimer, Steward reminded the member
of staff and offered to add it.</p>
${table(
  `Disclaimer reminders and what staff did, ${period}`,
  ['Reminder', ...Object.values(DISCLAIMER_OUTCOMES)],
  [
    [
      detectorName('disclaimer'),
      ...Object.keys(DISCLAIMER_OUTCOMES).map((o) => mailCell('disclaimer', o)),
    ],
  ],
)}`
    : '';

  const groupsTable =
    data.groups.length === 0
      ? ''
      : `<h2>Schools and groups</h2>${table(
          `Per group, ${period}`,
          ['Group', 'Installations', 'Blocked', 'Warned'],
          data.groups.map((g) => [
            groupName(g.group),
            fmt(g.installations),
            fmt(g.blocked),
            fmt(g.warned),
          ]),
        )}`;

  const requests = data.requests
    ? `<h2>Requests for access</h2>
<p>Staff asked for ${plural(data.requests.received, 'blocked site')} to be opened in this period:
${fmt(data.requests.approved)} approved, ${fmt(data.requests.declined)} declined, ${fmt(data.requests.pending)} still waiting.</p>`
    : '';

  const ctx = health.context;
  const healthRows = HEALTH_PROBLEMS.map((p) => [HEALTH_NAMES[p], fmt(health.counts[p])]);
  const healthSection = `<h2>Health of the filter</h2>
<p>${plural(health.installations, 'installation')} reported; ${fmt(health.healthy)} with no problem.
Newest extension seen: ${escapeHtml(ctx.newestExtension ?? 'none')}; newest rule list: ${escapeHtml(
    ruleListVersionName(ctx.newestRuleList),
  ).toLowerCase()}. "Not seen recently" means no report for more than ${plural(ctx.staleDays, 'day')}.</p>
${table('Installations with each problem', ['Problem', 'Installations'], healthRows)}`;

  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(period)}${data.group ? ` · ${escapeHtml(groupName(data.group))}` : ''} · prepared ${escapeHtml(
    longDay(new Date(data.generatedAt).toISOString().slice(0, 10)),
  )} by Steward</p>
<p>For the governing body's review of filtering and monitoring (DfE, "Filtering and monitoring
standards for schools and colleges"). Counts from the staff browsers' filter: how often sites were
blocked or a warning was shown, by category, and what staff did when warned before sending
personal data by email. Counts only: this report holds no web addresses, names or email content.</p>
<ul class="summary">
<li><strong>${fmt(count('blocked'))}</strong> visits blocked</li>
<li><strong>${fmt(count('warned'))}</strong> warnings shown</li>
<li><strong>${fmt(emailWarnings(totals.emailTotals))}</strong> email warnings</li>
<li><strong>${fmt(health.installations)}</strong> ${health.installations === 1 ? 'installation' : 'installations'}</li>
</ul>
<h2>What was blocked</h2>
${trendChart(summary)}
${navTable}
${groupsTable}
<h2>Email warnings</h2>
<p>When a member of staff was about to send personal or sensitive data outside the school, Steward
warned them. Only the kind of data is counted, never the message or its recipients.</p>
${mailTable}
${disclaimerTable}
${requests}
${healthSection}
<footer>Categories are named as staff see them on the block page; "${escapeHtml(categoryName('blocklist'))}"
is the school's own list. Figures cover the days in the school's time zone.</footer>
</main>
</body>
</html>
`;
}
