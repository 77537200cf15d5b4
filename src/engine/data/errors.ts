/**
 * A problem with input data, located by file and line where known.
 *
 * The message reads `<file>:<line>: <reason>` (or `<file>: <reason>` without a line), the
 * form editors and terminals turn into clickable links.
 */
export class DataError extends Error {
  /**
   * @param message what is wrong, in words a user can act on
   * @param file the data file, when the problem belongs to one
   * @param line 1-based line number, when the problem belongs to one line
   * @param reason a short machine-friendly cause (e.g. "too many bad lines")
   */
  constructor(message: string, readonly file?: string, readonly line?: number, readonly reason?: string) {
    super(file !== undefined && line !== undefined ? `${file}:${line}: ${message}` : file !== undefined ? `${file}: ${message}` : message);
    this.name = 'DataError';
  }
}
