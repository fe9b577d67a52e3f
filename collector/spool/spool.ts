import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SpoolDirError, SpoolLock } from './spool-lock.js';

/** Where and how much the spool keeps. Defaults are set where read, in `Spool.open`. */
export interface SpoolOptions {
  /** Directory of segment files; created if missing. */
  dir: string;
  /** Bytes of all segments together past which appends are refused. Default 1 GiB. */
  bytesMax?: number;
  /** Size at which the segment being appended to is sealed and a new one begun. Default 16 MiB. */
  segmentBytesMax?: number;
}

export const DEFAULT_SPOOL_BYTES_MAX = 1024 * 1024 * 1024;
export const DEFAULT_SEGMENT_BYTES_MAX = 16 * 1024 * 1024;

/** The spool holds `bytesMax` already: the caller should answer 503 with Retry-After. */
export class SpoolFullError extends Error {
  readonly code = 'BATON_ERR_SPOOL_FULL';
  constructor(readonly bytesMax: number) {
    super(`spool is full (${bytesMax} bytes): the store is behind or unreachable`);
    this.name = 'SpoolFullError';
  }
}

/**
 * One record is larger than the whole spool (`bytesMax`): it can never be
 * spooled, so the caller should answer 413, not 503, and later requests are
 * not held back by it.
 */
export class SpoolRecordTooLargeError extends Error {
  readonly code = 'BATON_ERR_SPOOL_RECORD_TOO_LARGE';
  constructor(
    readonly recordBytes: number,
    readonly bytesMax: number,
  ) {
    super(`the request's spool record (${recordBytes} bytes) is larger than the whole spool (${bytesMax} bytes): send smaller batches`);
    this.name = 'SpoolRecordTooLargeError';
  }
}

/** A segment file that no longer grows, waiting to be moved to the store. */
export interface SealedSegment {
  path: string;
  bytes: number;
}

const SEGMENT_NAME = /^segment-(\d{12})\.spool$/;
/** Subdirectory of segments the store refused; never replayed unless moved back. */
export const QUARANTINE_DIR = 'quarantine';

interface PendingAppend {
  frame: Buffer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * An append-only, fsynced log of accepted batches in numbered segment files.
 *
 * `append` resolves only once the frame is on disk (fdatasync); concurrent
 * appends share one write and one sync (group commit). One process owns the
 * directory at a time (`SpoolLock`), so segments found at `open` are from an
 * earlier process and are all sealed, to be replayed.
 * A sealed segment is deleted (`remove`) only after the store has its rows.
 * File operations run one at a time on an internal chain.
 */
export class Spool {
  private status: 'open' | 'closed' = 'open';
  private chain: Promise<void> = Promise.resolve();
  private pending: PendingAppend[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  private readonly sealedSegments: SealedSegment[];
  private bytesOnDisk: number;
  /** Size of the last refused record that fits an empty spool; 0 when none waits. */
  private refusedRecordBytes = 0;

  private constructor(
    private readonly dir: string,
    readonly bytesMax: number,
    private readonly segmentBytesMax: number,
    sealed: SealedSegment[],
    private nextSequence: number,
    private active: { path: string; handle: FileHandle; bytes: number },
    private readonly lock: SpoolLock,
  ) {
    this.sealedSegments = sealed;
    this.bytesOnDisk = sealed.reduce((sum, segment) => sum + segment.bytes, 0);
  }

  /**
   * Opens (or creates) the spool in `options.dir` and locks it until `close`;
   * earlier segments become sealed. Throws SpoolDirError when another live
   * process holds the directory, or the path is a file or cannot be created.
   */
  static async open(options: SpoolOptions): Promise<Spool> {
    await createSpoolDir(options.dir);
    const lock = await SpoolLock.acquire(options.dir);
    try {
      const names = (await readdir(options.dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
      const sealed: SealedSegment[] = [];
      for (const name of names) {
        const path = join(options.dir, name);
        sealed.push({ path, bytes: (await stat(path)).size });
      }
      const last = names.length > 0 ? Number(SEGMENT_NAME.exec(names[names.length - 1]!)![1]) : 0;
      const active = await createSegment(options.dir, last + 1);
      return new Spool(
        options.dir,
        options.bytesMax ?? DEFAULT_SPOOL_BYTES_MAX,
        options.segmentBytesMax ?? DEFAULT_SEGMENT_BYTES_MAX,
        sealed,
        last + 2,
        active,
        lock,
      );
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Bytes on disk plus bytes waiting to be written. */
  get bytes(): number {
    return this.bytesOnDisk + this.pendingBytes;
  }

  /**
   * True at the byte limit, and from a refused append until the drain frees
   * space or the refused record would fit: once one client is told to back
   * off, all are, instead of small requests slipping past a large one that
   * keeps being refused. A record larger than the whole spool never counts
   * (it would hold every request back forever), and with nothing left to
   * drain a refused record always fits.
   */
  get isFull(): boolean {
    if (this.refusedRecordBytes > 0 && this.bytes + this.refusedRecordBytes <= this.bytesMax) this.refusedRecordBytes = 0;
    return this.bytes >= this.bytesMax || this.refusedRecordBytes > 0;
  }

  /** Sealed segments, oldest first. */
  sealed(): readonly SealedSegment[] {
    return this.sealedSegments;
  }

  /**
   * Appends one framed record; resolves when it is durable. Throws, without
   * writing, SpoolRecordTooLargeError when the record is larger than
   * `bytesMax`, and SpoolFullError when it would pass `bytesMax` now.
   */
  append(frame: Buffer): Promise<void> {
    if (this.status !== 'open') return Promise.reject(new Error('spool is closed'));
    if (frame.length > this.bytesMax) return Promise.reject(new SpoolRecordTooLargeError(frame.length, this.bytesMax));
    if (this.bytes + frame.length > this.bytesMax) {
      this.refusedRecordBytes = frame.length;
      return Promise.reject(new SpoolFullError(this.bytesMax));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ frame, resolve, reject });
      this.pendingBytes += frame.length;
      if (!this.flushQueued) {
        this.flushQueued = true;
        this.enqueue(() => this.flushPending());
      }
    });
  }

  /** Seals the active segment if it holds anything, so the drain can take it. */
  sealActive(): Promise<void> {
    return this.enqueue(async () => {
      if (this.active.bytes > 0) await this.rotate();
    });
  }

  /** Deletes a sealed segment whose rows the store acknowledged. */
  remove(segment: SealedSegment): Promise<void> {
    return this.enqueue(async () => {
      const index = this.sealedSegments.indexOf(segment);
      if (index < 0) return;
      await unlink(segment.path);
      this.sealedSegments.splice(index, 1);
      this.bytesOnDisk -= segment.bytes;
      this.refusedRecordBytes = 0;
    });
  }

  /**
   * Moves a sealed segment the store keeps refusing to `quarantine/` under the
   * spool directory, so the segments behind it can flow. Nothing is deleted:
   * moving the file back into the spool directory replays it at the next start.
   */
  quarantine(segment: SealedSegment): Promise<string> {
    return this.enqueue(async () => {
      const index = this.sealedSegments.indexOf(segment);
      if (index < 0) return;
      const dir = join(this.dir, QUARANTINE_DIR);
      await mkdir(dir, { recursive: true });
      await rename(segment.path, join(dir, basename(segment.path)));
      await syncDirectory(this.dir);
      this.sealedSegments.splice(index, 1);
      this.bytesOnDisk -= segment.bytes;
      this.refusedRecordBytes = 0;
    }).then(() => join(this.dir, QUARANTINE_DIR, basename(segment.path)));
  }

  /** Writes what is pending, then closes the active segment and releases the directory's lock. */
  close(): Promise<void> {
    if (this.status === 'closed') return this.chain;
    this.status = 'closed';
    return this.enqueue(async () => {
      try {
        await this.active.handle.close();
      } finally {
        await this.lock.release();
      }
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.chain.then(step);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async flushPending(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending;
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (batch.length === 0) return;
    try {
      const buffer = batch.length === 1 ? batch[0]!.frame : Buffer.concat(batch.map((item) => item.frame));
      let written = 0;
      while (written < buffer.length) {
        written += (await this.active.handle.write(buffer, written, buffer.length - written)).bytesWritten;
      }
      await this.active.handle.datasync();
      this.active.bytes += bytes;
      this.bytesOnDisk += bytes;
    } catch (error) {
      for (const item of batch) item.reject(error);
      // The segment may now end in a torn record; later records must not
      // follow it, or replay (which stops at the first bad record) loses them.
      this.active.bytes += bytes;
      this.bytesOnDisk += bytes;
      await this.rotate();
      return;
    }
    for (const item of batch) item.resolve();
    if (this.active.bytes >= this.segmentBytesMax) await this.rotate();
  }

  private async rotate(): Promise<void> {
    await this.active.handle.close();
    this.sealedSegments.push({ path: this.active.path, bytes: this.active.bytes });
    this.active = await createSegment(this.dir, this.nextSequence);
    this.nextSequence += 1;
  }
}

/** Why a spool path cannot be a directory, by the system's error code; bad input, not a crash. */
const SPOOL_DIR_PROBLEMS: Record<string, string> = {
  EEXIST: 'it is a file, not a directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
};

async function createSpoolDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const problem = SPOOL_DIR_PROBLEMS[(error as NodeJS.ErrnoException).code ?? ''];
    if (problem === undefined) throw error;
    throw new SpoolDirError('BATON_ERR_SPOOL_DIR', `spool directory ${dir} cannot be used: ${problem}`, { cause: error });
  }
}

async function createSegment(dir: string, sequence: number): Promise<{ path: string; handle: FileHandle; bytes: number }> {
  const path = join(dir, `segment-${String(sequence).padStart(12, '0')}.spool`);
  const handle = await open(path, 'wx');
  await syncDirectory(dir);
  return { path, handle, bytes: 0 };
}

/** Makes a created file's directory entry durable, so a synced segment cannot vanish at power loss. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
