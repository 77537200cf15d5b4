/**
 * Turns Node's terse fs errors ("ENOSPC: no space left on device, write") into messages a
 * user can act on, naming the file involved.
 */

/** Plain-language reasons for the errno codes a run directory is likely to hit. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a parent path is not a directory',
  EISDIR: 'the path is a directory',
  EEXIST: 'the path already exists',
  ENOTEMPTY: 'the path is a non-empty directory',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'I/O error',
  EBUSY: 'resource busy or locked',
  ENAMETOOLONG: 'file name too long',
  EXDEV: 'cross-device rename',
};

/** An fs failure that names the file and keeps the errno code and original error. */
export class FileOperationError extends Error {
  /** The errno code (e.g. `ENOSPC`) when the cause had one. */
  readonly code?: string;
  /** The file the operation was about. */
  readonly path: string;

  constructor(message: string, path: string, code: string | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'FileOperationError';
    this.path = path;
    this.code = code;
  }
}

/** The `code` property of a Node system error, if any. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Wraps `err` as `Could not <action> <path>: <reason> (<CODE>)`.
 *
 * @param action A verb phrase such as "write" or "append to".
 * @param reasonOverride A more specific reason the caller knows from context.
 */
export function fileError(action: string, path: string, err: unknown, reasonOverride?: string): FileOperationError {
  const code = errnoCode(err);
  const known = code === undefined ? undefined : REASONS[code];
  const fallback = err instanceof Error ? err.message : String(err);
  const reason = reasonOverride ?? (known === undefined ? fallback : `${known} (${code})`);
  return new FileOperationError(`Could not ${action} ${path}: ${reason}`, path, code, err);
}
