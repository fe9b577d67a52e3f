import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { OutputWriteError, UsageError } from './exit-codes.js';

/**
 * Checks, before anything runs, that `path` (the value of `flag`) can be the
 * directory output files go to: an existing writable directory, or a missing
 * one whose nearest existing ancestor is a writable directory (it is created).
 * A path that is, or lies under, a regular file is a UsageError (exit 2).
 */
export function checkOutDir(flag: string, path: string): void {
  if (path === '') throw new UsageError(`${flag} must not be empty`);
  const target = path.replace(/(.)[\\/]+$/, '$1'); // "out/" is "out": were it a file, stat("out/") would say ENOTDIR
  for (let current = target; ; current = dirname(current)) {
    const stats = entryAt(flag, path, current);
    if (stats === undefined && dirname(current) !== current) continue;
    const itself = current === target;
    if (stats === undefined) throw new UsageError(`${flag} ${path}: ${current} does not exist`);
    if (!stats.isDirectory()) throw new UsageError(`${flag} ${path}: ${itself ? 'exists and is not a directory' : `${current} is not a directory`}`);
    if (!writable(current)) throw new UsageError(`${flag} ${path}: ${itself ? 'directory is not writable' : `cannot be created, ${current} is not writable`}`);
    return;
  }
}

/**
 * Checks, before anything runs, that `path` (the value of `flag`) can be
 * written as a file: not a directory, in an existing writable directory (the
 * directory is not created).
 */
export function checkOutFile(flag: string, path: string): void {
  if (path === '') throw new UsageError(`${flag} must not be empty`);
  const stats = entryAt(flag, path, path);
  if (stats?.isDirectory() || /[\\/]$/.test(path)) throw new UsageError(`${flag} ${path}: is a directory`);
  if (stats !== undefined) {
    if (!writable(path)) throw new UsageError(`${flag} ${path}: file is not writable`);
    return;
  }
  const parent = dirname(path);
  const parentStats = entryAt(flag, path, parent);
  if (parentStats === undefined) throw new UsageError(`${flag} ${path}: directory ${parent} does not exist`);
  if (!parentStats.isDirectory()) throw new UsageError(`${flag} ${path}: ${parent} is not a directory`);
  if (!writable(parent)) throw new UsageError(`${flag} ${path}: ${parent} is not writable`);
}

/**
 * Runs `write` (the mkdir and writes of output files into `dir`, or of one
 * file), so that its failure is one line naming `dir` and the reason instead
 * of a stack: a UsageError (exit 2) when the user can fix the path
 * (permissions, a file in the way, a read-only file system), an
 * OutputWriteError (exit 3) when the disk or the system failed (full disk,
 * I/O error, quota, too many open files). Anything else passes through.
 */
export function writingTo<T>(dir: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const message = `cannot write to ${dir}: ${(error as Error).message}`;
    if (PATH_ERRORS.includes(code)) throw new UsageError(message);
    if (SYSTEM_ERRORS.includes(code)) throw new OutputWriteError(message, code);
    throw error;
  }
}

/** File-system errors that say the path is unusable (not that the disk or the system failed). */
const PATH_ERRORS = ['EACCES', 'EPERM', 'EEXIST', 'ENOTDIR', 'EISDIR', 'EROFS', 'ENOENT', 'ENAMETOOLONG', 'ELOOP'];

/** File-system errors that say the disk or the system failed, not the path. */
const SYSTEM_ERRORS = ['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG', 'EMFILE', 'ENFILE', 'ENOMEM'];

/** What is at `current` (a prefix of `path`), or undefined when nothing is. */
function entryAt(flag: string, path: string, current: string): Stats | undefined {
  try {
    return statSync(current);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a prefix of `current` is a file, found further up.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`${flag} ${path}: ${(error as Error).message}`);
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
