/** A problem with input data, located by file and line where known. */
export class DataError extends Error {
  constructor(message: string, readonly file?: string, readonly line?: number, readonly reason?: string) {
    super(file !== undefined && line !== undefined ? `${file}:${line}: ${message}` : file !== undefined ? `${file}: ${message}` : message);
  }
}
