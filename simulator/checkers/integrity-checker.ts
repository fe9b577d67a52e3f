import type { CoreEvent } from '../../core/env/observer.js';
import { ENVELOPE_SCHEMA_VERSION, envelopeChecksum, type HandoffEnvelope } from '../../core/handoff/envelope.js';
import { TraceIndex, type Checker, type Violation, type WorldEvent } from './violation.js';

/**
 * Integrity: every accepted context passed its checksum and the receiver's
 * schema version. The checker does not trust core's own flags: it recomputes
 * the checksum of the envelope the world was delivering when core reported
 * the acceptance, and checks its version against what the receiver accepts.
 */
export class IntegrityChecker implements Checker {
  readonly name = 'integrity';
  private delivering: { to: string; envelope: HandoffEnvelope } | undefined;
  private traces = new TraceIndex();
  private violations: Omit<Violation, 'seed'>[] = [];

  /** `accepts`: schema versions each agent accepts (default [1]). */
  constructor(private readonly accepts: ReadonlyMap<string, readonly number[]>) {}

  observeWorld(event: WorldEvent): void {
    if (event.type === 'offer.delivering') this.delivering = { to: event.to, envelope: event.envelope };
    if (event.type === 'offer.delivered') this.delivering = undefined;
  }

  observe(event: CoreEvent, atMs: number): void {
    this.traces.observe(event);
    if (event.type !== 'handoff.accepted') return;
    const seen = this.delivering?.envelope.handoffId === event.handoffId ? this.delivering : undefined;
    const receiver = seen?.to ?? event.target;
    const accepted = event.acceptedVersions ?? (receiver === undefined ? undefined : this.accepts.get(receiver)) ?? [ENVELOPE_SCHEMA_VERSION];
    const schemaVersion = seen?.envelope.metadata.schemaVersion ?? event.schemaVersion;
    const checksumOk = seen === undefined ? event.checksumOk : checksumMatches(seen.envelope);
    const problems: string[] = [];
    if (!checksumOk) problems.push('its checksum does not match its content');
    if (!accepted.includes(schemaVersion)) problems.push(`schema version ${schemaVersion} is not one ${receiver ?? 'the receiver'} accepts (${accepted.join(', ')})`);
    if (problems.length === 0) return;
    this.violations.push({
      checker: this.name,
      classification: 'correctness',
      atMs,
      traceId: this.traces.of(event.workflowId),
      story: `${event.workflowId}: ${receiver ?? 'receiver'} accepted handoff ${event.handoffId} although ${problems.join(' and ')}`,
    });
  }

  finish(): Omit<Violation, 'seed'>[] {
    return this.violations;
  }
}

function checksumMatches(envelope: HandoffEnvelope): boolean {
  try {
    return envelopeChecksum(envelope) === envelope.metadata.checksum;
  } catch {
    return false;
  }
}
