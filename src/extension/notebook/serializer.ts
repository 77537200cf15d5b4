/**
 * LogDocument ⇄ notebook data, as plain objects shaped like `vscode.NotebookData` so this is
 * unit-tested without VS Code (register.ts converts to the real classes).
 *
 * Guarantees, because a log is the user's record and saving must never damage it:
 * - Opening and saving an unchanged file gives back its exact bytes, even when it was
 *   formatted by hand (the original text rides along in the notebook metadata).
 * - Markdown the user wrote is saved exactly as written, even if the editor normalised its
 *   line endings.
 * - A file that cannot be read opens as one cell explaining why, and saving that notebook
 *   writes back the original bytes; saving after adding content to it is refused.
 */
import type { CodeCell, LogCell, LogDocument, RunCell } from '../../shared/experimentLog/types';
import { RUN_MIME } from '../../shared/experimentLog/constants';
import { writeLogText } from '../../shared/experimentLog/write';
import { parseCell, parseLog } from '../../shared/experimentLog/parse';
import { runSummaryMarkdown } from '../../shared/experimentLog/runMarkdown';
import { generatedRecipe, sameText } from '../../shared/experimentLog/runRecipe';
import { englishText, type LogTranslate } from '../../shared/experimentLog/text';

/**
 * The language the generated text is written in: `t` for the cells' Markdown and the error cell,
 * `rendererLabels` (English → translation of RENDERER_STRINGS) for the renderer, which has no
 * `vscode.l10n`. Outputs are never saved (transientOutputs), so the file stays language-free.
 */
export interface LogText {
  t: LogTranslate;
  rendererLabels?: Record<string, string>;
}

export const ENGLISH: LogText = { t: englishText };

export interface OutputItemShape {
  mime: string;
  data: Uint8Array;
}
export interface CellOutputShape {
  items: OutputItemShape[];
}
export interface CellShape {
  kind: 'markup' | 'code';
  value: string;
  languageId: string;
  outputs?: CellOutputShape[];
  metadata?: { [key: string]: unknown };
}
export interface NotebookShape {
  cells: CellShape[];
  metadata?: { [key: string]: unknown };
}

/** Our key in notebook and cell metadata. */
export const METADATA_KEY = 'seq2seqLab';

interface NotebookMeta {
  /** The file's text when it was read (valid files). */
  original?: string;
  /** The file's bytes, base64, when it could not be read. */
  unreadable?: { bytes: string; message: string };
}
interface CellMeta {
  /** The run record behind a run cell. */
  run?: RunCell;
  /** The exact source of a markdown/code cell whose line endings an editor might normalise. */
  source?: string;
}

function ours<T>(metadata: { [key: string]: unknown } | undefined): T {
  const value = metadata?.[METADATA_KEY];
  return (value !== null && typeof value === 'object' ? value : {}) as T;
}

const encoder = new TextEncoder();

export function errorCellText(message: string, t: LogTranslate = englishText): string {
  return [
    t('## ⚠️ This experiment log could not be read'),
    '',
    message,
    '',
    t('The file has not been changed, and saving this view writes it back exactly as it was. To fix it, reopen it as text (**Reopen Editor With… → Text Editor**), correct it, and open it again.'),
  ].join('\n');
}

/** Keeps `\r` only where present, so ordinary LF notes carry no extra metadata. */
function sourceMeta(source: string): CellMeta | undefined {
  return source.includes('\r') ? { source } : undefined;
}

function withMeta(meta: CellMeta | undefined): { metadata?: { [key: string]: unknown } } {
  return meta ? { metadata: { [METADATA_KEY]: meta } } : {};
}

export function runCellShape(run: RunCell, text: LogText = ENGLISH): CellShape {
  return {
    kind: 'code',
    languageId: 'json',
    value: run.recipe ?? generatedRecipe(run),
    outputs: [
      { items: [{ mime: 'text/markdown', data: encoder.encode(runSummaryMarkdown(run, text.t)) }] },
      { items: [{ mime: RUN_MIME, data: encoder.encode(JSON.stringify(text.rendererLabels ? { ...run, l10n: text.rendererLabels } : run)) }] },
    ],
    metadata: { [METADATA_KEY]: { run } satisfies CellMeta },
  };
}

export function cellShape(cell: LogCell, text: LogText = ENGLISH): CellShape {
  switch (cell.kind) {
    case 'markdown':
      return { kind: 'markup', languageId: 'markdown', value: cell.source, ...withMeta(sourceMeta(cell.source)) };
    case 'code':
      return { kind: 'code', languageId: cell.language, value: cell.source, outputs: [], ...withMeta(sourceMeta(cell.source)) };
    case 'run':
      return runCellShape(cell, text);
  }
}

export function documentToNotebook(document: LogDocument, original?: string, text: LogText = ENGLISH): NotebookShape {
  return { cells: document.cells.map(cell => cellShape(cell, text)), metadata: original === undefined ? {} : { [METADATA_KEY]: { original } satisfies NotebookMeta } };
}

export function deserializeNotebook(bytes: Uint8Array, text: LogText = ENGLISH): NotebookShape {
  const parsed = parseLog(bytes);
  if (parsed.ok) return documentToNotebook(parsed.document, new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), text);
  const meta: NotebookMeta = { unreadable: { bytes: Buffer.from(bytes).toString('base64'), message: parsed.error.message } };
  return { cells: [{ kind: 'markup', languageId: 'markdown', value: errorCellText(parsed.error.message, text.t) }], metadata: { [METADATA_KEY]: meta } };
}

/** The cell's text, or its original when the editor only changed line endings. */
function exactSource(cell: CellShape): string {
  const original = ours<CellMeta>(cell.metadata).source;
  return original !== undefined && sameText(original, cell.value) ? original : cell.value;
}

export function cellFromShape(cell: CellShape, index: number): LogCell {
  if (cell.kind === 'markup') return { kind: 'markdown', source: exactSource(cell) };
  const recorded = ours<CellMeta>(cell.metadata).run;
  if (recorded === undefined) return { kind: 'code', language: cell.languageId, source: exactSource(cell) } satisfies CodeCell;
  // Metadata comes back from the editor (and other extensions can change it): check it again.
  const run = parseCell(recorded, `cells[${index}]`) as RunCell;
  const { recipe: previousRecipe, ...rest } = run;
  if (sameText(cell.value, generatedRecipe(run))) return rest;
  const recipe = previousRecipe !== undefined && sameText(previousRecipe, cell.value) ? previousRecipe : cell.value;
  return { ...rest, recipe };
}

export function notebookToDocument(notebook: NotebookShape): LogDocument {
  return { version: 1, cells: notebook.cells.map(cellFromShape) };
}

export function serializeNotebook(notebook: NotebookShape, language: LogText = ENGLISH): Uint8Array {
  const meta = ours<NotebookMeta>(notebook.metadata);
  if (meta.unreadable) {
    const untouched = notebook.cells.length === 1 && sameText(notebook.cells[0].value, errorCellText(meta.unreadable.message, language.t));
    if (!untouched) {
      throw new Error('This experiment log could not be read, so it is not saved from this view (that would replace the original file). Undo the changes, or fix the file as text.');
    }
    return new Uint8Array(Buffer.from(meta.unreadable.bytes, 'base64'));
  }
  const text = writeLogText(notebookToDocument(notebook));
  if (meta.original !== undefined) {
    // Unchanged content → the original bytes, so hand formatting and escapes survive a save.
    const before = parseLog(encoder.encode(meta.original));
    if (before.ok && writeLogText(before.document) === text) return encoder.encode(meta.original);
  }
  return encoder.encode(text);
}
