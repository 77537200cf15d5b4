/**
 * "Compare Exposure-Bias Remedies" (seed 001): from a completed teacher-forced run, trains the
 * same configuration on the same data with scheduled sampling and an RL fine-tune of the run's
 * best checkpoint, one after another through the training controller (each a real run with its
 * dashboard), then opens Compare Runs on the three, whose exposure-gap charts show what each
 * remedy changed. The CLI's `seq2seq-lab remedies` trains the same comparison from scratch;
 * what makes each run its remedy is defined once in src/shared/remedies.ts.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { Seq2SeqConfig } from '../../shared/config';
import { type DataChoice, readDataChoice } from '../../shared/dataChoice';
import { RL_REMEDY, SCHEDULED_SAMPLING_REMEDY, samplingDecayFor } from '../../shared/remedies';
import { RUN_FILES, type RunConfigFile } from '../../shared/runDir';
import { ComparePanel } from '../panels/comparePanel';
import { inspectManifest } from '../runs/manifest';
import type { Services } from '../services';
import { describeError } from '../training/notify';
import { requireTrust } from './trust';

/** Why `config` is not a teacher-forced run to compare remedies from, or undefined when it is one. */
export function notTeacherForced(config: Record<string, unknown>): string | undefined {
  if (config.objective === 'rl') return vscode.l10n.t('it was trained with RL; choose the teacher-forced run it came from');
  if (config.scheduledSampling !== undefined && config.scheduledSampling !== 'none') return vscode.l10n.t('it already uses scheduled sampling; choose a teacher-forced run');
  if (typeof config.teacherForcing === 'number' && config.teacherForcing < 1) return vscode.l10n.t('its teacher forcing is below 1; choose a teacher-forced run');
  return undefined;
}

/** What the comparison needs of the source run: state and steps trained (manifest.json), settings and data (config.json). */
async function readSourceRun(dir: string): Promise<{ state: string; steps: number; config: Record<string, unknown>; data?: DataChoice }> {
  const read = await inspectManifest(dir);
  const manifest = 'manifest' in read ? read.manifest : undefined;
  let config: Record<string, unknown> = {};
  let data: DataChoice | undefined;
  try {
    const saved = JSON.parse(await fsp.readFile(path.join(dir, RUN_FILES.config), 'utf8')) as { [K in keyof RunConfigFile]?: unknown } | null;
    if (saved?.config && typeof saved.config === 'object') config = saved.config as Record<string, unknown>;
    data = readDataChoice(saved?.data);
  } catch {
    // A missing or damaged config.json leaves no data: refused below as "does not say what data".
  }
  return { state: manifest?.state ?? 'unknown', steps: manifest?.step ?? 0, config, data };
}

async function pickCompletedRun(s: Services): Promise<string | undefined> {
  const runs = (await s.runs.list()).filter(r => r.state === 'completed');
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no completed runs yet. Train a model first.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(runs.map(run => ({ label: run.name, detail: run.dir, dir: run.dir })), { placeHolder: vscode.l10n.t('The teacher-forced run to compare the remedies against') });
  return picked?.dir;
}

/** Returns the compared run directories (the source run first), or undefined when nothing was trained. */
export async function compareRemediesFrom(s: Services, runDir: string | undefined): Promise<string[] | undefined> {
  if (!requireTrust()) return undefined;
  if (s.training.activeRunDir) {
    void vscode.window.showWarningMessage(vscode.l10n.t('A run is already training ({0}). Stop it first.', path.basename(s.training.activeRunDir)));
    return undefined;
  }
  const dir = runDir ? path.resolve(runDir) : await pickCompletedRun(s);
  if (!dir) return undefined;
  const name = path.basename(dir);
  const source = await readSourceRun(dir);
  const why = source.state !== 'completed' ? vscode.l10n.t('only a completed run can be (state: {0})', source.state) : !source.data ? vscode.l10n.t('its config.json does not say what data it trained on') : notTeacherForced(source.config);
  if (why) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The remedies cannot be compared from {0}: {1}.', name, why));
    return undefined;
  }
  const scheduled: Partial<Seq2SeqConfig> = { ...(source.config as Partial<Seq2SeqConfig>), ...SCHEDULED_SAMPLING_REMEDY, samplingDecay: samplingDecayFor(source.steps) };
  const trained: string[] = [dir];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Exposure-bias remedies'), cancellable: true },
    async (progress, token) => {
      const stop = token.onCancellationRequested(() => s.training.stop());
      try {
        progress.report({ message: vscode.l10n.t('scheduled sampling: {0}', name) });
        const ss = await s.training.start({ ...source.data!, config: scheduled, label: `${name}-scheduled-sampling` });
        trained.push(ss.runDir);
        if (ss.result?.state !== 'completed' || token.isCancellationRequested) {
          if (ss.error) void vscode.window.showErrorMessage(vscode.l10n.t('Remedies stopped: {0}', describeError(ss.error)));
          return;
        }
        progress.report({ message: vscode.l10n.t('RL fine-tuning of {0}', name), increment: 50 });
        const rl = await s.training.finetune(dir, { ...RL_REMEDY, evalSamples: source.config.evalSamples as number | undefined, evalEverySteps: source.config.evalEverySteps as number | undefined });
        trained.push(rl.runDir);
        if (rl.error) void vscode.window.showErrorMessage(vscode.l10n.t('Remedies stopped: {0}', describeError(rl.error)));
      } catch (error) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Remedies stopped: {0}', describeError(error)));
      } finally {
        stop.dispose();
      }
    },
  );
  if (trained.length > 1) ComparePanel.show(s.panels, trained);
  return trained;
}
