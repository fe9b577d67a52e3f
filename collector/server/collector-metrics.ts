/** Why a request was refused, as a metric label. */
export type RejectReason = 'malformed' | 'unauthorized' | 'too_large' | 'unsupported_media_type' | 'spool_full' | 'overloaded' | 'internal';

/**
 * Counters of the collector, rendered as Prometheus text at GET /metrics.
 * Counters only grow; gauges are read from the spool when rendered.
 */
export class CollectorMetrics {
  spansAccepted = 0;
  spansRejected = 0;
  spansSpooled = 0;
  spansWritten = 0;
  storeRetries = 0;
  segmentsWritten = 0;
  tornBytes = 0;
  segmentsQuarantined = 0;
  readonly requestsRejected = new Map<RejectReason, number>();

  reject(reason: RejectReason): void {
    this.requestsRejected.set(reason, (this.requestsRejected.get(reason) ?? 0) + 1);
  }

  /** Prometheus text exposition format 0.0.4. */
  render(gauges: { spoolBytes: number; spoolBytesMax: number; spoolSegments: number; inflightBytes: number }): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    metric('baton_collector_spans_accepted_total', 'counter', 'Spans acknowledged to clients (durable in the spool).', [['', this.spansAccepted]]);
    metric('baton_collector_spans_rejected_total', 'counter', 'Spans refused as invalid (partial success or 400).', [['', this.spansRejected]]);
    metric('baton_collector_spans_spooled_total', 'counter', 'Spans appended and fsynced to the spool.', [['', this.spansSpooled]]);
    metric('baton_collector_spans_written_total', 'counter', 'Spans written to the store (replays included).', [['', this.spansWritten]]);
    metric('baton_collector_store_retries_total', 'counter', 'Failed store writes that will be retried.', [['', this.storeRetries]]);
    metric('baton_collector_spool_segments_written_total', 'counter', 'Spool segments moved to the store and deleted.', [['', this.segmentsWritten]]);
    metric(
      'baton_collector_spool_segments_quarantined_total',
      'counter',
      'Spool segments the reachable store kept refusing, moved to quarantine/.',
      [['', this.segmentsQuarantined]],
    );
    metric('baton_collector_spool_torn_bytes_total', 'counter', 'Bytes of unacknowledged torn writes dropped at replay.', [['', this.tornBytes]]);
    const reasons: RejectReason[] = ['malformed', 'unauthorized', 'too_large', 'unsupported_media_type', 'spool_full', 'overloaded', 'internal'];
    metric(
      'baton_collector_requests_rejected_total',
      'counter',
      'Requests answered with an error, by reason.',
      reasons.map((reason) => [`{reason="${reason}"}`, this.requestsRejected.get(reason) ?? 0]),
    );
    metric('baton_collector_spool_bytes', 'gauge', 'Bytes in the spool, waiting for the store.', [['', gauges.spoolBytes]]);
    metric('baton_collector_spool_bytes_max', 'gauge', 'Spool size past which requests get 503.', [['', gauges.spoolBytesMax]]);
    metric('baton_collector_spool_segments', 'gauge', 'Sealed spool segments waiting for the store.', [['', gauges.spoolSegments]]);
    metric('baton_collector_inflight_bytes', 'gauge', 'Bytes of request bodies being handled.', [['', gauges.inflightBytes]]);
    return `${lines.join('\n')}\n`;
  }
}
