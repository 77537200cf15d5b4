/**
 * Crash-safe file writes, the one implementation the engine (run directories, checkpoints,
 * sweeps) and the host (manifests, the queue, annotations, exports) use: whole-file
 * replacement that never leaves a half-written file behind, durable appends for metrics.jsonl,
 * and JSON reads whose errors say which file is broken and how. Node `fs` only: never imported
 * by the webviews.
 */
import { randomBytes } from 'crypto';
// A namespace import (not destructuring) so tests can inject failures into fs calls.
import * as fs from 'fs';
import * as nodePath from 'path';
import { errnoCode, fileError, FileOperationError } from './fsError';

export { FileOperationError } from './fsError';

/**
 * Codes some platforms/filesystems return when asked to fsync a directory (Windows cannot
 * open directories; some network and FUSE filesystems reject the call). The rename has already
 * happened by then, so these are not failures of the write.
 */
const UNSUPPORTED_DIR_FSYNC = new Set(['EINVAL', 'EISDIR', 'EPERM', 'EACCES', 'EBADF', 'ENOTSUP', 'EOPNOTSUPP']);

/** Writes the whole buffer; `writeSync` may write less than asked. */
function writeAll(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.byteLength) offset += fs.writeSync(fd, data, offset, data.byteLength - offset);
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** Makes the directory entry of a just-renamed file durable, where the platform allows it. */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    if (!UNSUPPORTED_DIR_FSYNC.has(errnoCode(err) ?? '')) throw fileError('sync directory', dir, err);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Replaces `path` with `data` atomically: readers see either the old file or the complete new
 * one, even if the process or machine dies midway. Writes a uniquely named temporary file in
 * the same directory (same filesystem, so the rename is atomic), fsyncs it, renames it over the
 * target and fsyncs the directory. On any failure the temporary file is removed and the
 * previous file is left untouched.
 *
 * @param data Text (written as UTF-8) or bytes.
 * @throws FileOperationError naming `path` and the reason, e.g. "Could not write
 *   runs/a/config.json: disk full (ENOSPC)".
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const target = nodePath.resolve(path);
  const dir = nodePath.dirname(target);
  // pid + random: concurrent writers (other processes, or retries after a crash) never collide.
  const temp = nodePath.join(dir, `.${nodePath.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    fd = fs.openSync(temp, 'wx'); // 'wx': never truncate someone else's file
    created = true;
    writeAll(fd, toBytes(data));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
    created = false;
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing; the original error is the one worth reporting.
      }
    }
    if (created) {
      try {
        fs.unlinkSync(temp);
      } catch {
        // Nothing more we can do; the dot-prefixed name keeps it out of the way.
      }
    }
    // ENOENT here can only mean the directory is missing; say so rather than "no such file".
    throw fileError('write', path, err, errnoCode(err) === 'ENOENT' ? `directory ${dir} does not exist (ENOENT)` : undefined);
  }
  fsyncDirectory(dir);
}

/**
 * Appends `line` plus '\n' to `path` (creating it) and fsyncs before returning, so a record
 * reported as written survives a crash. Meant for JSON-lines logs such as metrics.jsonl.
 *
 * @param line One line without line breaks; embedded breaks would corrupt a JSON-lines file.
 * @throws Error if `line` contains a line break; FileOperationError on fs failure.
 */
export function appendLineDurable(path: string, line: string): void {
  if (/[\r\n]/.test(line)) throw new Error(`appendLineDurable: refusing to append a line containing a line break to ${path}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'a');
    writeAll(fd, Buffer.from(line + '\n', 'utf8'));
    fs.fsyncSync(fd);
  } catch (err) {
    throw fileError('append to', path, err);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** 1-based line and column of a UTF-16 offset in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Reads and parses a JSON file, with errors that say which file and what is wrong.
 *
 * @param what What the file is, for messages (e.g. "run manifest").
 * @returns The parsed value, unchecked: validate its shape before trusting `T`.
 * @throws FileOperationError if the file is missing or unreadable; Error if it is empty
 *   (typically a write interrupted by a crash), truncated, or not valid JSON (with line and
 *   column when the parser reports a position).
 */
export function readJsonFile<T>(path: string, what: string): T {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw new FileOperationError(`The ${what} file ${path} does not exist`, path, 'ENOENT', err);
    throw fileError(`read the ${what} file`, path, err);
  }
  // Editors on Windows may add a byte-order mark, which JSON.parse rejects.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new Error(`The ${what} file ${path} is empty (${text.length === 0 ? '0 bytes' : 'only whitespace'}); it was probably cut short by an interrupted write`);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    // V8 quotes part of the input in some messages; keep ours readable for large files.
    const raw = err instanceof Error ? err.message : String(err);
    const message = raw.length > 200 ? `${raw.slice(0, 200)}...` : raw;
    const match = /at position (\d+)/.exec(raw);
    const position = match ? Number(match[1]) : undefined;
    // "Unexpected end" (older V8) or an error at the very end means the text stops mid-value.
    if (/Unexpected end of JSON input/i.test(raw) || (position !== undefined && position >= text.trimEnd().length)) {
      const { line, column } = lineAndColumn(text, text.trimEnd().length);
      throw new Error(`The ${what} file ${path} is truncated: the JSON stops at line ${line}, column ${column} (${message})`, { cause: err });
    }
    const where = position === undefined ? '' : (({ line, column }) => ` at line ${line}, column ${column}`)(lineAndColumn(text, position));
    throw new Error(`The ${what} file ${path} is not valid JSON${where}: ${message}`, { cause: err });
  }
}
