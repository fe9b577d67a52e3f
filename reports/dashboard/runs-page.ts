import type { SpanStore } from '../../collector/store/span-store.js';
import { sqlString } from '../../collector/store/sql.js';
import { finalTable, num } from '../sql.js';
import { dashboardPage, html, pageLink } from './dashboard-layout.js';

/** Runs per page of the list. */
export const RUNS_PER_PAGE = 50;
/** Sweeps listed above the runs (the newest). */
export const SWEEPS_LISTED_MAX = 20;
/** Pages past this are refused (400): the OFFSET would make ClickHouse read every run. */
export const RUNS_PAGE_MAX = 1000;

export const runsPageSql = {
  /** One row more than a page, to know whether there is a next page without counting. */
  runs: (store: SpanStore, pageIndex: number, sweepId: string | undefined) =>
    `SELECT run_id, scenario, seed, verdict, toString(recorded_at) AS recorded_at, workflows_total, workflows_completed, ` +
    `faults_injected, violations FROM ${finalTable(store, 'runs')}` +
    (sweepId === undefined ? '' : ` WHERE run_id IN (SELECT run_id FROM ${finalTable(store, 'sweep_runs')} WHERE sweep_id = ${sqlString(sweepId)})`) +
    ` ORDER BY recorded_at DESC, run_id LIMIT ${pageIndex * RUNS_PER_PAGE}, ${RUNS_PER_PAGE + 1}`,
  /** Sweeps by their members (`sweep_runs`): a run counts in every sweep it belongs to. */
  sweeps: (store: SpanStore) =>
    `SELECT sweep_id, any(scenario) AS scenario, count() AS runs, countIf(verdict = 'fail') AS failed, ` +
    `toString(max(recorded_at)) AS last_at FROM (SELECT sweep_id, run_id FROM ${finalTable(store, 'sweep_runs')} GROUP BY sweep_id, run_id) AS m ` +
    `ALL INNER JOIN (SELECT run_id, scenario, verdict, recorded_at FROM ${finalTable(store, 'runs')}) AS r USING (run_id) ` +
    `GROUP BY sweep_id ORDER BY max(recorded_at) DESC, sweep_id LIMIT ${SWEEPS_LISTED_MAX}`,
  /** The sweeps each of `runIds` belongs to. */
  memberships: (store: SpanStore, runIds: readonly string[]) =>
    `SELECT run_id, arraySort(groupUniqArray(sweep_id)) AS sweeps FROM ${finalTable(store, 'sweep_runs')} ` +
    `WHERE run_id IN (${runIds.map(sqlString).join(', ')}) GROUP BY run_id`,
};

/**
 * GET /?page=N&sweep=ID: the newest runs first (all, or one sweep's), paged,
 * inside a form whose A/B choices open the comparison; the newest sweeps above
 * them on the first page.
 */
export async function runsPage(store: SpanStore, pageIndex: number, sweepId: string | undefined): Promise<string> {
  const [runs, sweeps] = await Promise.all([
    store.query(runsPageSql.runs(store, pageIndex, sweepId)),
    pageIndex === 0 && sweepId === undefined ? store.query(runsPageSql.sweeps(store)) : Promise.resolve([]),
  ]);
  const shown = runs.slice(0, RUNS_PER_PAGE);
  const sweepsOf = new Map<string, string[]>();
  if (shown.length > 0) {
    for (const row of await store.query(runsPageSql.memberships(store, shown.map((run) => String(run.run_id))))) {
      sweepsOf.set(String(row.run_id), Array.isArray(row.sweeps) ? row.sweeps.map(String) : []);
    }
  }
  const title = sweepId === undefined ? 'baton runs' : `sweep ${sweepId}`;
  const parts = [`<h1>${html(title)}</h1>`];
  if (sweeps.length > 0) parts.push(`<h2>Sweeps</h2><section>${sweepTable(sweeps)}</section>`);
  parts.push(`<h2>Runs</h2><section>${shown.length === 0 ? '<p>No runs yet.</p>' : runForm(shown, sweepsOf)}</section>`);
  const base: Record<string, string> = sweepId === undefined ? {} : { sweep: sweepId };
  const pager: string[] = [];
  if (pageIndex > 0) pager.push(pageLink('/', { ...base, page: pageIndex }, '← newer'));
  if (runs.length > RUNS_PER_PAGE) pager.push(pageLink('/', { ...base, page: pageIndex + 2 }, 'older →'));
  if (pager.length > 0) parts.push(`<div class="pager">${pager.join('')} page ${pageIndex + 1}</div>`);
  return dashboardPage(title, parts.join('\n'));
}

function sweepTable(rows: Record<string, unknown>[]): string {
  const body = rows
    .map((row) => {
      const id = String(row.sweep_id ?? '');
      return `<tr><td>${pageLink('/', { sweep: id }, id)}</td><td>${html(String(row.scenario ?? ''))}</td><td class="num">${num(row.runs)}</td>` +
        `<td class="num">${num(row.failed)}</td><td>${html(String(row.last_at ?? ''))}</td></tr>`;
    })
    .join('');
  return `<table data-table="sweeps"><thead><tr><th>sweep</th><th>scenario</th><th class="num">runs</th><th class="num">failed</th><th>last run</th></tr></thead><tbody>${body}</tbody></table>`;
}

function runForm(rows: Record<string, unknown>[], sweepsOf: Map<string, string[]>): string {
  const body = rows
    .map((row, index) => {
      const id = String(row.run_id ?? '');
      const verdict = String(row.verdict ?? '');
      const badge = verdict === 'pass' ? '<span class="verdict pass">pass</span>' : verdict === 'fail' ? '<span class="verdict fail">fail</span>' : html(verdict);
      const sweeps = sweepsOf.get(id) ?? [];
      return (
        `<tr><td><input type="radio" name="a" value="${html(id)}" aria-label="compare as A"${index === 1 ? ' checked' : ''}></td>` +
        `<td><input type="radio" name="b" value="${html(id)}" aria-label="compare as B"${index === 0 ? ' checked' : ''}></td>` +
        `<td>${pageLink('/run', { id }, id)}</td><td>${html(String(row.scenario ?? ''))}</td><td class="num">${num(row.seed)}</td>` +
        `<td>${badge}</td><td class="num">${num(row.workflows_completed)} / ${num(row.workflows_total)}</td>` +
        `<td class="num">${num(row.faults_injected)}</td><td class="num">${num(row.violations)}</td>` +
        `<td>${sweeps.map((sweep) => pageLink('/', { sweep }, sweep)).join(' ')}</td><td>${html(String(row.recorded_at ?? ''))}</td></tr>`
      );
    })
    .join('');
  const head =
    '<tr><th>A</th><th>B</th><th>run</th><th>scenario</th><th class="num">seed</th><th>verdict</th><th class="num">workflows</th>' +
    '<th class="num">faults</th><th class="num">violations</th><th>sweep</th><th>recorded (UTC)</th></tr>';
  return (
    `<form method="get" action="/compare"><table data-table="runs"><thead>${head}</thead><tbody>${body}</tbody></table>` +
    `<p><button type="submit">compare A and B</button></p></form>`
  );
}
