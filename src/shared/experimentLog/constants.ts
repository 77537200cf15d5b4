/** Names of the experiment log format, apart so the parser and writer can share them without a cycle. */
export const LOG_FORMAT = 'seq2seq-lab.log';
export const LOG_VERSION = 1;
export const LOG_FILE_EXTENSION = '.s2slog';
export const NOTEBOOK_TYPE = 'seq2seq-lab.log';
/** The output mime the notebook renderer (webview/renderer) draws. */
export const RUN_MIME = 'application/vnd.seq2seq-lab.run+json';
