// dist/progress.html: one self-contained page (no network): the milestone
// timeline with today marked, words per chapter against targets, and a chart
// of words over time with the projection to each deadline (uPlot, inlined).
import { escapeHtml } from '../core/html.js';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseIsoDate } from '../read/dates.js';
import { currentPace, type ProgressReport } from './progress.js';

const require = createRequire(import.meta.url);
const uplotDir = path.join(path.dirname(require.resolve('uplot/package.json')), 'dist');
let uplotAssets: { js: string; css: string } | null = null;

function assets() {
  uplotAssets ??= {
    js: fs.readFileSync(path.join(uplotDir, 'uPlot.iife.min.js'), 'utf8'),
    css: fs.readFileSync(path.join(uplotDir, 'uPlot.min.css'), 'utf8'),
  };
  return uplotAssets;
}

function esc(text: string | number | null | undefined): string {
  return escapeHtml(String(text ?? ''));
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const stateLabels = { met: 'met', 'due-soon': 'due soon', overdue: 'overdue', upcoming: 'upcoming' } as const;

/** Cumulative word target at each milestone: every chapter it or an earlier one names. */
function milestoneTargets(report: ProgressReport): (number | null)[] {
  const seen = new Set<string>();
  return report.milestones.map((m) => {
    m.chapters.forEach((c) => seen.add(c));
    const chapters = report.chapters.filter((c) => seen.has(c.name));
    return chapters.every((c) => c.target !== null) ? chapters.reduce((n, c) => n + (c.target ?? 0), 0) : null;
  });
}

/** Series for the chart: days since epoch (seconds) -> words written, projection, targets. */
export function chartData(report: ProgressReport) {
  const day = (iso: string) => parseIsoDate(iso)!.getTime() / 1000;
  const written = new Map<number, number>();
  for (const point of report.history.points) written.set(day(point.day), point.total);
  written.set(day(report.today), report.totals.words);
  const pace = currentPace(report.velocity);
  const targets = milestoneTargets(report);
  const xs = new Set<number>([...written.keys(), ...report.milestones.map((m) => day(m.due))]);
  const x = [...xs].sort((a, b) => a - b);
  const todayX = day(report.today);
  const projection = x.map((t) => (pace && t >= todayX ? Math.round(report.totals.words + (pace * (t - todayX)) / 86_400) : null));
  const target = x.map((t) => {
    const index = report.milestones.findIndex((m) => day(m.due) === t);
    return index >= 0 ? targets[index] : null;
  });
  return { x, written: x.map((t) => written.get(t) ?? null), projection, target, pace };
}

export function renderProgressHtml(report: ProgressReport): string {
  const { js, css } = assets();
  const data = chartData(report);
  const timeline: string[] = [];
  let todayPlaced = false;
  const todayItem = `<li class="today" data-date="${esc(report.today)}"><time>${esc(report.today)}</time> <strong>Today</strong></li>`;
  for (const m of report.milestones) {
    if (!todayPlaced && report.today < m.due) {
      timeline.push(todayItem);
      todayPlaced = true;
    }
    const details = [
      m.metOn ? `met on ${esc(m.metOn.date)} (commit ${esc(m.metOn.commit.slice(0, 7))}${m.metOn.onTime ? ', on time' : ', late'})` : '',
      m.outcome === 'never' ? 'not met by its due date' : '',
      m.projected ? `word targets reached around ${esc(m.projected)} at the current pace` : '',
      m.state !== 'met' && m.wordsRemaining > 0 && !m.projected ? `${m.wordsRemaining} words to write` : '',
    ].filter(Boolean);
    timeline.push(
      `<li class="milestone ${m.state}" data-state="${m.state}" data-due="${esc(m.due)}"><time>${esc(m.due)}</time> <strong>${esc(m.title)}</strong> <span class="badge">${stateLabels[m.state]}</span>` +
        (details.length ? `<p>${details.join('; ')}</p>` : '') +
        (m.missing.length ? `<ul class="missing">${m.missing.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '') +
        '</li>',
    );
  }
  if (!todayPlaced) timeline.push(todayItem);

  const rows = report.chapters.map((c) => {
    const share = c.target ? Math.min(100, Math.round((c.words / c.target) * 100)) : null;
    return `<tr data-chapter="${esc(c.name)}"><td>${esc(c.title)}<br><small>${esc(c.name)}</small></td><td>${esc(c.status ?? '—')}</td><td class="num words">${c.words}</td><td class="num target">${c.target ?? '—'}</td><td>${share === null ? '' : `<meter min="0" max="100" value="${share}">${share}%</meter> ${share}%`}</td><td class="num">${c.footnoteWords}</td><td class="num">${c.markers.length}</td></tr>`;
  });
  const limits = report.totals.limits;
  const history = report.history.available
    ? report.history.points.length
      ? `<table id="history"><thead><tr><th>date</th><th>commit</th><th class="num">words</th></tr></thead><tbody>${report.history.points.map((p) => `<tr><td>${esc(p.day)}</td><td><code>${esc(p.commit.slice(0, 7))}</code> ${esc(p.subject)}</td><td class="num">${p.total}</td></tr>`).join('')}</tbody></table>`
      : '<p>No commits touch the thesis yet.</p>'
    : `<p class="notice" id="history-unavailable">No history: ${esc(report.history.reason)}. Showing the present only.</p>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Progress: ${esc(report.thesis.title)}</title>
<style>${css}</style>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
ol.timeline { list-style: none; padding-left: 1rem; border-left: 3px solid #ccc; }
ol.timeline > li { margin: 0 0 1rem; position: relative; } ol.timeline > li::before { content: ""; position: absolute; left: -1.45rem; top: 0.35rem; width: 0.7rem; height: 0.7rem; border-radius: 50%; background: #999; }
li.met::before { background: #2a8a3a !important; } li.overdue::before { background: #c62828 !important; } li.due-soon::before { background: #e09b00 !important; }
li.today { color: #1565c0; } li.today::before { background: #1565c0 !important; }
.badge { font-size: 0.8rem; padding: 0.05rem 0.4rem; border-radius: 0.6rem; background: #eee; }
li.met .badge { background: #d8f0dc; } li.overdue .badge { background: #fbdcdc; } li.due-soon .badge { background: #fdeec8; }
ul.missing { margin: 0.3rem 0 0; color: #555; } .notice { background: #fff8e1; padding: 0.6rem; }
</style>
</head>
<body>
<header>
<h1>${esc(report.thesis.title)}</h1>
<p>${esc(report.thesis.author)} · progress on <time id="today">${esc(report.today)}</time> · <span id="total-words">${report.totals.words}</span> words${report.totals.target ? ` of ${report.totals.target} targeted` : ''}${limits.min !== null || limits.max !== null ? ` (limits: ${limits.min ?? 0}–${limits.max ?? '∞'})` : ''} · ${report.totals.footnoteWords} in footnotes${report.velocity.last7 !== null ? ` · ${report.velocity.last7} words/day over 7 days, ${report.velocity.last14} over 14` : ''}</p>
</header>
<h2>Milestones</h2>
<ol class="timeline" id="timeline">
${timeline.join('\n')}
</ol>
<h2>Chapters</h2>
<table id="chapters"><thead><tr><th>chapter</th><th>status</th><th class="num">words</th><th class="num">target</th><th>progress</th><th class="num">footnotes</th><th class="num">TODOs</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
<h2>Words over time</h2>
<div id="words-chart" role="img" aria-label="Words written over time, with the projection to each deadline"></div>
${history}
<script type="application/json" id="progress-data">${scriptJson(report)}</script>
<script type="application/json" id="chart-data">${scriptJson(data)}</script>
<script>${js}</script>
<script>
(function () {
  var d = JSON.parse(document.getElementById('chart-data').textContent);
  var el = document.getElementById('words-chart');
  var opts = {
    width: Math.min(el.clientWidth || 900, 900), height: 320,
    scales: { x: { time: true } },
    series: [
      {},
      { label: 'words written', stroke: '#1565c0', width: 2, spanGaps: true, points: { show: true } },
      { label: 'projection', stroke: '#888', dash: [6, 4], spanGaps: true, points: { show: false } },
      { label: 'milestone target', stroke: '#c62828', width: 0, points: { show: true, size: 9, fill: '#c62828' } }
    ],
    axes: [{}, { label: 'words' }]
  };
  new uPlot(opts, [d.x, d.written, d.projection, d.target], el);
})();
</script>
</body>
</html>
`;
}

