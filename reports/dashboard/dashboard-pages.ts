import type { DashboardPage, DashboardPages, DashboardRequest } from '../../collector/server/dashboard-route.js';
import type { SpanStore } from '../../collector/store/span-store.js';
import { computeChartData, type ChartData } from '../chart-data.js';
import { renderHtml } from '../render/html.js';
import type { ReportDocument } from '../render/report-document.js';
import { computeRunReport, RunNotFoundError } from '../run-report.js';
import { compareForm, comparePage } from './compare-page.js';
import { problemPage, withNavigation } from './dashboard-layout.js';
import { RUNS_PAGE_MAX, runsPage } from './runs-page.js';

/** Longest run or sweep id a page accepts; stored ids are far shorter. */
const ID_LENGTH_MAX = 256;

/**
 * The dashboard served by `baton collector`: GET / (runs and sweeps, paged),
 * /run?id= (the run's HTML report with its charts, drawn server-side), and
 * /compare?a=&b= (two runs side by side). Every value from the request reaches
 * SQL through `sqlString` (inside the report SQL and `runsPageSql`) and HTML
 * through `html`.
 */
export function createDashboardPages(): DashboardPages {
  return {
    async render(request: DashboardRequest, store: SpanStore): Promise<DashboardPage> {
      try {
        return await route(request, store);
      } catch (error) {
        if (error instanceof RunNotFoundError) return problemPage(404, 'run not found', error.message);
        throw error;
      }
    },
  };
}

async function route({ path, query }: DashboardRequest, store: SpanStore): Promise<DashboardPage> {
  for (const name of ['id', 'a', 'b', 'sweep']) {
    if ((query[name]?.length ?? 0) > ID_LENGTH_MAX) return problemPage(400, 'bad request', `${name} is longer than ${ID_LENGTH_MAX} characters`);
  }
  if (path === '/') {
    const page = query.page === undefined ? 1 : Number(query.page);
    if (!Number.isSafeInteger(page) || page < 1 || page > RUNS_PAGE_MAX) return problemPage(400, 'bad request', `page must be an integer from 1 to ${RUNS_PAGE_MAX}`);
    return { statusCode: 200, html: await runsPage(store, page - 1, query.sweep || undefined) };
  }
  if (path === '/run') {
    if (!query.id) return problemPage(400, 'bad request', 'which run? open /run?id=<run id>');
    const run = await loadRun(store, query.id);
    return { statusCode: 200, html: withNavigation(renderHtml(run.doc, run.charts)) };
  }
  if (!query.a || !query.b) return { statusCode: query.a || query.b ? 400 : 200, html: compareForm(query.a, query.b) };
  const [a, b] = await Promise.all([loadRun(store, query.a), loadRun(store, query.b)]);
  return { statusCode: 200, html: comparePage(a, b) };
}

/** A stored run's report as a document (verdict from its invariants; no assertions) and its chart data. */
async function loadRun(store: SpanStore, runId: string): Promise<{ doc: ReportDocument; charts: ChartData }> {
  const report = await computeRunReport(store, runId);
  const passed = report.invariants.violations.length === 0;
  const doc: ReportDocument = {
    ...report,
    verdict: { passed, exitCode: passed ? 0 : 1, assertions: [] },
    wall: { startedAt: '', host: '', simulateMs: 0, storeMs: 0, reportMs: 0, totalMs: 0, spansStored: 0 },
  };
  return { doc, charts: await computeChartData(store, runId) };
}
