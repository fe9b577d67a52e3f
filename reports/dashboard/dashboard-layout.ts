import { xml } from '../render/junit.js';
import { REPORT_CSS } from '../render/html.js';

const DASHBOARD_CSS = `
nav{margin:0 0 12px}nav a{margin-right:14px}
.pager{margin:10px 0}.pager a{margin-right:12px}
.side{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:12px}
.better{color:#1a7f37}.worse{color:#cf222e}
form.inline input[type=text]{width:16em}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
`;

// The page asks for no favicon (a 404 would be a console error) and runs no script.
const HEAD = '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">';

/** Escapes text for HTML content and attribute values. */
export const html = xml;

/** A whole dashboard page: `title` is escaped here, `body` must already be safe HTML. */
export function dashboardPage(title: string, body: string): string {
  return (
    `<!doctype html>\n<html lang="en"><head>${HEAD}<title>${html(title)} · baton</title><style>${REPORT_CSS}${DASHBOARD_CSS}</style></head>` +
    `<body><main>${navigation()}${body}</main></body></html>\n`
  );
}

/** The HTML report of one run (from `renderHtml`) with the dashboard's navigation and head added. */
export function withNavigation(reportHtml: string): string {
  return reportHtml.replace('<head>', `<head><link rel="icon" href="data:,">`).replace('<main>', `<main>${navigation()}`);
}

function navigation(): string {
  return '<nav><a href="/">runs and sweeps</a><a href="/compare">compare two runs</a></nav>';
}

/** A link to a dashboard page; parameters are URL-encoded and the result HTML-escaped. */
export function pageLink(path: string, query: Record<string, string | number>, text: string): string {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)])).toString();
  return `<a href="${html(search === '' ? path : `${path}?${search}`)}">${html(text)}</a>`;
}

/** A page that says what is wrong with the request (404 unknown run, 400 bad parameter). */
export function problemPage(statusCode: number, title: string, message: string): { statusCode: number; html: string } {
  return { statusCode, html: dashboardPage(title, `<h1>${html(title)}</h1><p>${html(message)}</p>`) };
}
