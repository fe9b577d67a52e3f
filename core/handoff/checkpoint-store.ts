import type { Span } from '@opentelemetry/api';
import type { Env } from '../env/env.js';
import { ATTR, SPAN } from '../telemetry/attributes.js';
import type { SpanClock } from '../telemetry/virtual-spans.js';

/**
 * Checkpoints on the storage primary (seed 002/003: "checkpoint after each
 * phase", seed 000: "checkpoint before initiating handoff"). Each save is a
 * `baton.checkpoint` span of coordination kind `checkpoint`.
 */
export class CheckpointStore {
  constructor(
    private readonly env: Env,
    private readonly spans: SpanClock,
  ) {}

  /** Saves `state` under `key` (last writer wins); resolves false when the write failed. */
  async save(key: string, state: unknown, parent: Span | undefined, label: string): Promise<boolean> {
    const span = this.spans.start(SPAN.checkpoint, parent, { [ATTR.coordinationKind]: 'checkpoint', [ATTR.checkpointLabel]: label });
    const result = await this.env.storage.write(key, state);
    this.spans.end(span, { [ATTR.outcome]: result.ok ? 'saved' : 'failed' }, result.ok ? undefined : 'checkpoint_failed');
    return result.ok;
  }

  /** The last checkpoint under `key`, from the primary. */
  async load<State>(key: string): Promise<State | undefined> {
    return (await this.env.storage.read<State>(key, 'primary'))?.value;
  }
}
