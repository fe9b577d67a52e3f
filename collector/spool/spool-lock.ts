import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Name of the lock file inside a spool directory; it holds the owner's pid. */
export const SPOOL_LOCK_FILE = 'spool.lock';

/** Takeovers of a stale lock tried before giving up (another process keeps racing for it). */
const LOCK_ATTEMPTS_MAX = 5;

/** Spool directories this process holds, resolved, so a leftover lock naming our own pid is told apart. */
const heldDirs = new Set<string>();

/**
 * The spool directory cannot be used: another live process holds it
 * (BATON_ERR_SPOOL_LOCKED), or the path is a file, lies under one or may not
 * be created (BATON_ERR_SPOOL_DIR). Bad input: exit code 2.
 */
export class SpoolDirError extends Error {
  constructor(
    readonly code: 'BATON_ERR_SPOOL_LOCKED' | 'BATON_ERR_SPOOL_DIR',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SpoolDirError';
  }
}

/**
 * Exclusive ownership of a spool directory by one process, through a
 * `spool.lock` file holding its pid. Without it a second collector on the same
 * directory takes the first's open segment for a leftover, replays it and
 * deletes it while the first still appends acknowledged spans to it.
 *
 * A lock whose pid is dead (kill -9, power loss) is stale and taken over, so a
 * crashed collector restarts without help. The pid is only meaningful on one
 * host: a spool on a network disk shared by hosts is not protected.
 */
export class SpoolLock {
  private released = false;

  private constructor(
    readonly path: string,
    private readonly key: string,
  ) {}

  /** Takes the lock of `dir` (which must exist); throws SpoolDirError when a live process holds it. */
  static async acquire(dir: string): Promise<SpoolLock> {
    const key = resolve(dir);
    const path = join(dir, SPOOL_LOCK_FILE);
    for (let attempt = 0; attempt < LOCK_ATTEMPTS_MAX; attempt += 1) {
      if (await createLockFile(path)) {
        heldDirs.add(key);
        return new SpoolLock(path, key);
      }
      const holder = await readHolder(path);
      if (holder === 'gone') continue;
      if (holder !== undefined && isAlive(holder, key)) throw lockedError(dir, holder);
      await takeOverStale(dir, path, holder);
    }
    throw new SpoolDirError('BATON_ERR_SPOOL_LOCKED', `spool directory ${dir}: could not take its lock ${path} after ${LOCK_ATTEMPTS_MAX} attempts; another process keeps taking it`);
  }

  /** Deletes the lock file. Idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    heldDirs.delete(this.key);
    await unlink(this.path).catch(ignoreMissing);
  }
}

function lockedError(dir: string, pid: number): SpoolDirError {
  return new SpoolDirError(
    'BATON_ERR_SPOOL_LOCKED',
    `spool directory ${dir} is in use by process ${pid} (${join(dir, SPOOL_LOCK_FILE)}): each collector needs its own --spool`,
  );
}

/**
 * Creates the lock file with our pid, or returns false if it exists. The pid
 * is written to a private file first and hard-linked into place (link fails if
 * the name exists), so a lock file is never seen half-written.
 */
async function createLockFile(path: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${process.pid}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(ignoreMissing);
  }
}

/** The pid in a lock file; undefined if unreadable as a pid, 'gone' if the file vanished meanwhile. */
async function readHolder(path: string): Promise<number | undefined | 'gone'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * True if `pid` runs. Our own pid counts only if this process holds `key`:
 * otherwise the lock is from an earlier process that had the same pid (a
 * container's collector is often pid 1 at every start).
 */
function isAlive(pid: number, key: string): boolean {
  if (pid === process.pid) return heldDirs.has(key);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves a stale lock aside. If another process replaced it with its own live
 * lock between our read and the move, the move took that one: put it back and
 * refuse, rather than have two owners.
 */
async function takeOverStale(dir: string, path: string, stalePid: number | undefined): Promise<void> {
  const aside = `${path}.stale-${process.pid}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside);
  if (moved !== stalePid && typeof moved === 'number') {
    await link(aside, path).catch(() => undefined);
    await unlink(aside).catch(ignoreMissing);
    throw lockedError(dir, moved);
  }
  await unlink(aside).catch(ignoreMissing);
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
