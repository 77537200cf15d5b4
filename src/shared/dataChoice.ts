/**
 * The dataset of a run: a built-in task or a TSV/JSONL file, exactly one. One type from the
 * train form's message to the engine (and in config.json, the experiment log, the dataset card,
 * the comparison), and one check, run where the choice crosses a trust boundary: the webview's
 * message (webviewProtocol.ts), the engine's params (engine/main.ts), the queue file and the CLI.
 * The hops between trust the type.
 */
import type { Seq2SeqConfig } from './config';

/** A built-in task by name, or a data file by path (on the wire: a flat `task` or `dataPath` field). */
export type DataChoice = { task: string; dataPath?: never } | { dataPath: string; task?: never };

/** A new run as the form asks for it and the engine trains it: its settings and its data. */
export type RunRequest = { config: Partial<Seq2SeqConfig> } & DataChoice;

/** A run the host starts (from the form or the queue): optionally with its run folder's label (default: the task or the file's name). */
export type LabelledRunRequest = RunRequest & { label?: string };

/** Why `value`'s task/dataPath fields are not one DataChoice, or undefined when they are. */
export function dataChoiceProblem(value: { task?: unknown; dataPath?: unknown }, maxLength = Infinity): string | undefined {
  const hasTask = value.task !== undefined;
  const hasPath = value.dataPath !== undefined;
  if (hasTask === hasPath) return 'needs exactly one of task and dataPath';
  const field = hasTask ? 'task' : 'dataPath';
  const text = hasTask ? value.task : value.dataPath;
  if (typeof text !== 'string') return `${field} must be a string`;
  if (text === '') return `${field} must not be empty`;
  if (text.length > maxLength) return `${field} is over ${maxLength} characters`;
  return undefined;
}

/** The choice in a value read from outside (config.json, the queue file), or undefined when it holds none. */
export function readDataChoice(value: unknown): DataChoice | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return dataChoiceProblem(value) ? undefined : dataChoiceOf(value as DataChoice);
}

/** Just the choice of a checked object (its other fields left behind). */
export function dataChoiceOf(value: DataChoice): DataChoice {
  return value.task !== undefined ? { task: value.task } : { dataPath: value.dataPath };
}

/** "task dates" or "file /path/pairs.tsv": how logs and errors name the data. */
export function describeDataChoice(choice: DataChoice): string {
  return choice.task !== undefined ? `task ${choice.task}` : `file ${choice.dataPath}`;
}
