import type { LogEntry } from '../world/event-log.js';

/** Most lines an event-log window prints. */
export const WINDOW_LINES_MAX = 400;

/**
 * The entries of an event log within `windowMs` either side of `aroundMs`
 * (virtual ms), at most `linesMax` of them, centred on the closest entry.
 * Returns the entries and how many were left out on each side.
 */
export function eventWindow(
  entries: readonly LogEntry[],
  aroundMs: number,
  windowMs: number,
  linesMax = WINDOW_LINES_MAX,
): { entries: LogEntry[]; omittedBefore: number; omittedAfter: number } {
  const fromUs = (aroundMs - windowMs) * 1000;
  const toUs = (aroundMs + windowMs) * 1000;
  let first = entries.findIndex((entry) => entry.timeUs >= fromUs);
  if (first === -1) first = entries.length;
  let end = first;
  while (end < entries.length && entries[end].timeUs <= toUs) end++;
  if (end - first > linesMax) {
    let centre = first;
    while (centre < end && entries[centre].timeUs < aroundMs * 1000) centre++;
    const start = Math.max(first, Math.min(centre - Math.floor(linesMax / 2), end - linesMax));
    return { entries: entries.slice(start, start + linesMax), omittedBefore: start, omittedAfter: entries.length - start - linesMax };
  }
  return { entries: entries.slice(first, end), omittedBefore: first, omittedAfter: entries.length - end };
}

/** One entry as printed: virtual time in ms with µs precision, then the text. */
export function formatEntry(entry: LogEntry): string {
  return `${(entry.timeUs / 1000).toFixed(3).padStart(12)} ms  ${entry.text}`;
}
