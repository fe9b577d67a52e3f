import type { Worker } from 'node:worker_threads';
import { decodeToFrame, errorOf, type DecodedFrame, type DecodeFailure, type DecodeJob } from '../otlp/decode-to-frame.js';
import { startModuleWorker } from '../workers/start-worker.js';

/** Decodes request bodies: in worker threads, or on the calling thread when it has none. */
export interface Decoder {
  decode(job: DecodeJob): Promise<DecodedFrame>;
  close(): Promise<void>;
}

/** Decoding on the calling thread (`decodeThreads: 0`). */
export const INLINE_DECODER: Decoder = {
  decode: async (job) => decodeToFrame(job),
  close: async () => {},
};

interface Pending {
  resolve: (decoded: DecodedFrame) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
  /** True once it answered a job: a thread that dies before that may not be able to start at all. */
  answered: boolean;
}

/** Threads in a row that die before answering anything, after which the pool stops starting them. */
export const DECODE_THREAD_START_FAILURES_MAX = 3;

/**
 * A fixed pool of decode threads. Each job goes to the thread with the fewest
 * jobs in hand; its body is copied over (the request's Buffer may share
 * memory with others) and its framed record transferred back. A thread that
 * dies fails its jobs (the requests answer 503, nothing was acknowledged) and
 * is replaced — unless DECODE_THREAD_START_FAILURES_MAX threads in a row died
 * before answering anything (a thread that cannot start): then no more are
 * started, and with none left the pool decodes on the calling thread.
 */
export class DecodePool implements Decoder {
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private closed = false;
  private startFailures = 0;

  constructor(threads: number) {
    for (let index = 0; index < threads; index++) this.workers.push(this.start());
  }

  /** Threads running now. */
  get threads(): number {
    return this.workers.length;
  }

  decode(job: DecodeJob): Promise<DecodedFrame> {
    if (this.closed) return Promise.reject(new Error('decode pool is closed'));
    if (this.workers.length === 0) return INLINE_DECODER.decode(job);
    const target = this.workers.reduce((best, candidate) => (candidate.pending.size < best.pending.size ? candidate : best));
    const id = this.nextId++;
    // A copy of exactly the body's bytes, transferred: posting the Buffer itself would clone
    // all of the ArrayBuffer behind it (for a small body, the 8 KiB pool other requests share).
    const body = new Uint8Array(job.body);
    return new Promise<DecodedFrame>((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      try {
        target.worker.postMessage({ id, job: { ...job, body } }, [body.buffer]);
      } catch (error) {
        target.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  private start(): PoolWorker {
    const entry: PoolWorker = { worker: startModuleWorker(import.meta.url, '../workers/decode-worker'), pending: new Map(), answered: false };
    entry.worker.on('message', ({ id, decoded, failure }: { id: number; decoded?: DecodedFrame; failure?: DecodeFailure }) => {
      entry.answered = true;
      this.startFailures = 0;
      const pending = entry.pending.get(id);
      if (!pending) return;
      entry.pending.delete(id);
      if (failure) pending.reject(errorOf(failure));
      else pending.resolve(decoded!);
    });
    let dead = false;
    const fail = (error: Error): void => {
      if (dead) return;
      dead = true;
      for (const pending of entry.pending.values()) pending.reject(error);
      entry.pending.clear();
      if (this.closed) return;
      const index = this.workers.indexOf(entry);
      if (index < 0) return;
      if (!entry.answered) this.startFailures += 1;
      if (this.startFailures >= DECODE_THREAD_START_FAILURES_MAX) this.workers.splice(index, 1);
      else this.workers[index] = this.start();
    };
    entry.worker.on('error', (error) => fail(new Error(`decode worker crashed: ${error.message}`)));
    entry.worker.on('exit', (code) => fail(new Error(`decode worker exited with code ${code}`)));
    entry.worker.unref();
    return entry;
  }
}

/** A pool of `threads` decode threads, or decoding inline when `threads` is 0. */
export function createDecoder(threads: number): Decoder {
  return threads > 0 ? new DecodePool(threads) : INLINE_DECODER;
}
