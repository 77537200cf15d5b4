/**
 * The exposure-bias remedies of the course notes (seed 001) side by side on the same data:
 * teacher forcing, scheduled sampling, and RL fine-tuning (self-critical sequence training)
 * started from the teacher-forced run's best checkpoint.
 *
 * Each remedy is an ordinary run directory, `<name>-teacher-forcing`, `<name>-scheduled-sampling`
 * and `<name>-rl`, side by side in `runsDir`, so the Runs view lists them and Compare Runs draws
 * their exposure-gap curves together. `<name>.remedies.json` in `runsDir` is rewritten atomically
 * after every run: a reader always sees a whole summary, and a cancelled comparison keeps what
 * finished.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Seq2SeqConfig } from '../shared/config';
import type { DataChoice } from '../shared/dataChoice';
import type { ProgressEvent, RunState } from '../shared/protocol';
import { writeFileAtomic } from '../shared/io/atomic';
import { REMEDY_LABELS, RL_REMEDY, SCHEDULED_SAMPLING_REMEDY, type RemedyName } from '../shared/remedies';

export { REMEDY_LABELS, type RemedyName };
import { keptWhenFinetuning, trainRun } from './train/trainer';
import { RunDirectory } from './train/runDir';

/**
 * Shared by the teacher-forcing and scheduled-sampling runs (what makes each run its remedy is
 * in src/shared/remedies.ts). A fixed budget with early stopping off, so both train for the
 * same number of steps and their curves line up; 200 validation pairs per evaluation so the
 * gap is not noise.
 */
const REMEDY_BASE: Partial<Seq2SeqConfig> = { epochs: 25, evalSamples: 200, patience: 0, annealFraction: 0 };

/** One remedy's best validation evaluation (by the run's own best-checkpoint metric). */
export interface RemedyRow {
  remedy: RemedyName;
  run: string;
  state: RunState;
  step: number;
  loss: number;
  freeRunLoss: number;
  exposureGap: number;
  teacherForcedAccuracy: number;
  freeRunAccuracy: number;
  exactMatch: number;
  reward: number;
}

export interface RemediesSummary {
  name: string;
  data: DataChoice;
  rows: RemedyRow[];
}

export interface CompareRemediesOptions {
  runsDir: string;
  /** The comparison's name: the runs' folder prefix and the summary file's name. */
  name: string;
  data: DataChoice;
  /** Settings all three runs share (the RL run inherits the teacher-forced run's model). */
  base?: Partial<Seq2SeqConfig>;
  /** Overrides of the scheduled-sampling and RL runs' own settings. */
  scheduledSampling?: Partial<Seq2SeqConfig>;
  rl?: Partial<Seq2SeqConfig>;
  backend: string;
  onStart?: (remedy: RemedyName, runDir: string) => void;
  onProgress?: (remedy: RemedyName, event: ProgressEvent) => void;
  isCancelled?: () => boolean;
}

/** The summary file of comparison `name` in its runs folder. */
export function remediesFile(name: string): string {
  return `${name}.remedies.json`;
}

/** A comparison name is a folder prefix: letters, digits, `.`, `_`, `-`, not starting with `.`. */
export function checkRemediesName(name: string): string | undefined {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]{0,100}$/.test(name) ? undefined : `the name must be letters, digits, ".", "_" or "-" (got "${name}")`;
}

/** The run's best validation evaluation as a row; NaN for scores it does not have. */
export function remedyRow(remedy: RemedyName, runDir: string): RemedyRow {
  const run = new RunDirectory(runDir);
  const valid = run.readMetrics().filter(r => r.split === 'valid');
  // The last evaluation marked best is the best checkpoint's (each new best is marked when written).
  const best = valid.filter(r => r.best).pop() ?? valid[valid.length - 1] ?? {};
  const n = (key: string) => (typeof best[key] === 'number' ? (best[key] as number) : NaN);
  let state: RunState = 'failed';
  try {
    state = run.readManifest().state;
  } catch {
    // no manifest: the run never started
  }
  return {
    remedy, run: runDir, state, step: n('step'), loss: n('loss'), freeRunLoss: n('freeRunLoss'), exposureGap: n('exposureGap'),
    teacherForcedAccuracy: n('teacherForcedAccuracy'), freeRunAccuracy: n('freeRunAccuracy'), exactMatch: n('exactMatch'), reward: n('reward'),
  };
}

/**
 * Trains the three runs in order and returns their rows. Stops after a run that did not
 * complete (cancelled or failed): the next remedies would not be comparable, and RL needs a
 * finished teacher-forced run.
 */
export async function compareRemedies(options: CompareRemediesOptions): Promise<RemediesSummary> {
  const nameError = checkRemediesName(options.name);
  if (nameError) throw new Error(nameError);
  const dirOf = (remedy: RemedyName) => path.join(options.runsDir, `${options.name}-${remedy}`);
  const summaryFile = path.join(options.runsDir, remediesFile(options.name));
  for (const remedy of Object.keys(REMEDY_LABELS) as RemedyName[]) {
    if (fs.existsSync(dirOf(remedy))) throw new Error(`${dirOf(remedy)} already exists; choose another name`);
  }
  fs.mkdirSync(options.runsDir, { recursive: true });
  const user = options.base ?? {};
  // Each remedy's defaults, then the user's settings (`--set` reaches every run), then what makes it that remedy.
  // Every run scores its validation outputs with the RL run's reward, so the reward column compares like with like.
  const shared = { ...REMEDY_BASE, rlReward: options.rl?.rlReward ?? user.rlReward ?? RL_REMEDY.rlReward };
  const teacherForcing: Partial<Seq2SeqConfig> = { ...shared, ...user, scheduledSampling: 'none', objective: 'xent' };
  const userSchedule = user.scheduledSampling !== undefined && user.scheduledSampling !== 'none' ? user.scheduledSampling : undefined;
  const scheduledSampling: Partial<Seq2SeqConfig> = {
    ...shared, ...SCHEDULED_SAMPLING_REMEDY, ...user, ...options.scheduledSampling, objective: 'xent',
    scheduledSampling: options.scheduledSampling?.scheduledSampling ?? userSchedule ?? SCHEDULED_SAMPLING_REMEDY.scheduledSampling,
  };
  // A fine-tune keeps the source's data and model settings and may not be given them; the
  // teacher-forced run's budget (epochs) and learning rate are not the fine-tune's.
  const userTraining = Object.fromEntries(Object.entries(user).filter(([key]) => !keptWhenFinetuning(key) && key !== 'epochs' && key !== 'learningRate' && key !== 'scheduledSampling'));
  const rlSettings: Partial<Seq2SeqConfig> = { ...RL_REMEDY, evalSamples: shared.evalSamples, patience: 0, ...userTraining, ...options.rl, objective: 'rl' };
  // Only the settings given: an undefined value would override the source run's.
  const rl = Object.fromEntries(Object.entries(rlSettings).filter(([, value]) => value !== undefined)) as Partial<Seq2SeqConfig>;
  const summary: RemediesSummary = { name: options.name, data: options.data, rows: [] };
  const plan: Array<{ remedy: RemedyName; train: (runDir: string, onProgress: (event: ProgressEvent) => void) => Promise<unknown> }> = [
    { remedy: 'teacher-forcing', train: (runDir, onProgress) => trainRun({ runDir, data: options.data, config: teacherForcing, backend: options.backend, onProgress, isCancelled: options.isCancelled }) },
    { remedy: 'scheduled-sampling', train: (runDir, onProgress) => trainRun({ runDir, data: options.data, config: scheduledSampling, backend: options.backend, onProgress, isCancelled: options.isCancelled }) },
    { remedy: 'rl', train: (runDir, onProgress) => trainRun({ runDir, finetuneFrom: dirOf('teacher-forcing'), config: rl, backend: options.backend, onProgress, isCancelled: options.isCancelled }) },
  ];
  for (const { remedy, train } of plan) {
    if (options.isCancelled?.()) break;
    const runDir = dirOf(remedy);
    options.onStart?.(remedy, runDir);
    await train(runDir, event => options.onProgress?.(remedy, event));
    const row = remedyRow(remedy, runDir);
    summary.rows.push(row);
    writeFileAtomic(summaryFile, JSON.stringify(summary, null, 1) + '\n');
    if (row.state !== 'completed') break;
  }
  return summary;
}

/** The rows as an aligned text table (for the CLI's stderr). */
export function describeRemedies(rows: readonly RemedyRow[]): string[] {
  const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '—');
  const num = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '—');
  const header = ['remedy', 'best step', 'teacher-forced loss', 'free-running loss', 'exposure gap', 'teacher-forced acc', 'free-running acc', 'exact match'];
  const lines = rows.map(r => [REMEDY_LABELS[r.remedy], String(r.step), num(r.loss), num(r.freeRunLoss), num(r.exposureGap), pct(r.teacherForcedAccuracy), pct(r.freeRunAccuracy), pct(r.exactMatch)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [format(header), ...lines.map(format)];
}
