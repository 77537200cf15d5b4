/**
 * Looking at runs side by side: prediction diffs of a run, its best vs last checkpoint, the
 * predictions of two runs on the same data, the run comparison (hyperparameters, final metrics,
 * curves), and the built-in ablation that trains the runs and opens their comparison.
 *
 * Each command takes its runs from the Runs view (the clicked item, or all selected items) or,
 * from the palette, asks with a quick pick.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ablationPlan, ABLATION_TASK, DEFAULT_ABLATION_SEEDS, orderingOf, summarizeAblation, type AblationSize } from '../../shared/ablation';
import { MAX_COMPARED_RUNS, type CheckpointName, type DiffsRequest, type Split } from '../../shared/diffsProtocol';
import { COMMANDS } from '../commandIds';
import { ComparePanel } from '../panels/comparePanel';
import { DiffsPanel } from '../panels/diffsPanel';
import { bestLabel, stateLabel } from '../runs/format';
import type { RunInfo } from '../runs/runStore';
import type { Services } from '../services';
import { describeError } from '../training/notify';
import { compareRemediesFrom } from './remedies';
import { requireTrust } from './trust';

/** Run directories of a command's arguments: (clicked item, selected items) from the tree, or paths. */
export function runDirsOf(arg: unknown, selection: unknown): string[] {
  const dirOf = (x: unknown) => (typeof x === 'string' ? x : typeof (x as RunInfo | undefined)?.dir === 'string' ? (x as RunInfo).dir : undefined);
  const selected = Array.isArray(selection) ? selection.map(dirOf).filter((d): d is string => !!d) : [];
  if (selected.length > 1) return selected;
  const args = Array.isArray(arg) ? arg.map(dirOf) : [dirOf(arg)];
  return args.filter((d): d is string => !!d);
}

/** Runs that have a checkpoint to predict with (a manifest past step 0). */
function hasCheckpoint(run: RunInfo): boolean {
  return !!run.manifest && run.manifest.step > 0 && run.state !== 'running';
}

async function pickRuns(s: Services, placeHolder: string, many: boolean, filter: (run: RunInfo) => boolean = () => true): Promise<string[] | undefined> {
  const runs = (await s.runs.list()).filter(r => r.manifest && filter(r));
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There are no runs to choose from yet. Train a model first.'));
    return undefined;
  }
  const items = runs.map(run => ({ label: run.name, description: [stateLabel(run), bestLabel(run)].filter(Boolean).join(' · '), detail: run.dir, dir: run.dir }));
  if (many) {
    const picked = await vscode.window.showQuickPick(items, { placeHolder, canPickMany: true, matchOnDescription: true });
    return picked?.map(p => p.dir);
  }
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  return picked ? [picked.dir] : undefined;
}

async function pickSplitAndCheckpoint(): Promise<{ split: Split; checkpoint: CheckpointName } | undefined> {
  const items: Array<vscode.QuickPickItem & { split: Split; checkpoint: CheckpointName }> = [
    { label: vscode.l10n.t('Validation split, best checkpoint'), split: 'valid', checkpoint: 'best' },
    { label: vscode.l10n.t('Validation split, last checkpoint'), split: 'valid', checkpoint: 'last' },
    { label: vscode.l10n.t('Test split, best checkpoint'), split: 'test', checkpoint: 'best' },
    { label: vscode.l10n.t('Test split, last checkpoint'), split: 'test', checkpoint: 'last' },
  ];
  return vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Which split, with which checkpoint?') });
}

export async function showPredictionDiffs(s: Services, dirs: string[]): Promise<DiffsPanel | undefined> {
  const runDir = dirs[0] ?? (await pickRuns(s, vscode.l10n.t('Show the prediction diffs of which run?'), false, hasCheckpoint))?.[0];
  if (!runDir) return undefined;
  const choice = await pickSplitAndCheckpoint();
  if (!choice) return undefined;
  return DiffsPanel.open(s.panels, { split: choice.split, a: { runDir: path.resolve(runDir), checkpoint: choice.checkpoint } });
}

/** Best (A) against last (B) checkpoint of one run, on its validation split. */
export async function compareCheckpoints(s: Services, dirs: string[]): Promise<DiffsPanel | undefined> {
  const runDir = dirs[0] ?? (await pickRuns(s, vscode.l10n.t('Compare the best and last checkpoints of which run?'), false, hasCheckpoint))?.[0];
  if (!runDir) return undefined;
  const dir = path.resolve(runDir);
  const request: DiffsRequest = { split: 'valid', a: { runDir: dir, checkpoint: 'best' }, b: { runDir: dir, checkpoint: 'last' } };
  return DiffsPanel.open(s.panels, request);
}

/** The best checkpoints of two runs on the same validation split (A: the first chosen). */
export async function comparePredictions(s: Services, dirs: string[]): Promise<DiffsPanel | undefined> {
  let chosen = dirs;
  if (chosen.length !== 2) {
    chosen = (await pickRuns(s, vscode.l10n.t('Choose two runs trained on the same data (the first is A, the second B)'), true, hasCheckpoint)) ?? [];
    if (chosen.length === 0) return undefined;
  }
  if (chosen.length !== 2) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Choose exactly two runs to compare their predictions ({0} chosen).', chosen.length));
    return undefined;
  }
  const [a, b] = chosen.map(d => path.resolve(d));
  return DiffsPanel.open(s.panels, { split: 'valid', a: { runDir: a, checkpoint: 'best' }, b: { runDir: b, checkpoint: 'best' } });
}

export async function compareRuns(s: Services, dirs: string[]): Promise<ComparePanel | undefined> {
  let chosen = dirs;
  if (chosen.length < 2) {
    chosen = (await pickRuns(s, vscode.l10n.t('Choose the runs to compare'), true)) ?? [];
    if (chosen.length === 0) return undefined;
  }
  if (chosen.length > MAX_COMPARED_RUNS) {
    void vscode.window.showWarningMessage(vscode.l10n.t('At most {0} runs can be compared; the first {0} are shown.', MAX_COMPARED_RUNS));
    chosen = chosen.slice(0, MAX_COMPARED_RUNS);
  }
  return ComparePanel.show(s.panels, chosen.map(d => path.resolve(d)));
}

/**
 * Trains the ablation's runs one after another through the TrainingController (each a real run
 * in the runs directory, with its dashboard), then opens their comparison. Cancelling stops the
 * run in progress (its checkpoint is saved) and compares the runs done so far.
 */
export async function runAblation(s: Services, sizeArg?: unknown, seedsArg?: unknown): Promise<string[] | undefined> {
  if (!requireTrust()) return undefined;
  if (s.training.activeRunDir) {
    void vscode.window.showWarningMessage(vscode.l10n.t('A run is already training ({0}). Stop it first.', path.basename(s.training.activeRunDir)));
    return undefined;
  }
  let size: AblationSize | undefined = sizeArg === 'tiny' || sizeArg === 'small' ? sizeArg : undefined;
  let seeds = typeof seedsArg === 'number' && Number.isInteger(seedsArg) && seedsArg >= 1 && seedsArg <= 4 ? seedsArg : size ? DEFAULT_ABLATION_SEEDS : undefined;
  if (!size || !seeds) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: vscode.l10n.t('Small, {0} seeds (mean ± std per variant)', DEFAULT_ABLATION_SEEDS), description: vscode.l10n.t('{0} runs on dates, 4 epochs each', 8 * DEFAULT_ABLATION_SEEDS), size: 'small' as const, seeds: DEFAULT_ABLATION_SEEDS },
        { label: vscode.l10n.t('Small (a few minutes)'), description: vscode.l10n.t('8 runs on dates, 4 epochs each'), size: 'small' as const, seeds: 1 },
        { label: vscode.l10n.t('Tiny (under a minute, a smoke test)'), description: vscode.l10n.t('8 runs on a few hundred dates, 1 epoch each'), size: 'tiny' as const, seeds: 1 },
        { label: vscode.l10n.t('Tiny, {0} seeds', DEFAULT_ABLATION_SEEDS), description: vscode.l10n.t('{0} runs on a few hundred dates, 1 epoch each', 8 * DEFAULT_ABLATION_SEEDS), size: 'tiny' as const, seeds: DEFAULT_ABLATION_SEEDS },
      ],
      { placeHolder: vscode.l10n.t('Ablation: LSTM vs GRU vs RNN, unidirectional vs bidirectional vs reversed, additive vs dot vs general vs no attention') },
    );
    size = picked?.size;
    seeds = picked?.seeds;
  }
  if (!size || !seeds) return undefined;
  const plan = ablationPlan(size, seeds);
  const done: string[] = [];
  const results: Array<{ id: string; exactMatch: number }> = [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Ablation'), cancellable: true },
    async (progress, token) => {
      const stop = token.onCancellationRequested(() => s.training.stop());
      try {
        for (const [i, run] of plan.entries()) {
          if (token.isCancellationRequested) break;
          progress.report({ message: vscode.l10n.t('run {0} of {1}: {2}', i + 1, plan.length, run.label.replace(/^ablation-/, '')), increment: i === 0 ? 0 : 100 / plan.length });
          let outcome;
          try {
            outcome = await s.training.start({ task: ABLATION_TASK, config: run.config, label: run.label });
          } catch (error) {
            void vscode.window.showErrorMessage(vscode.l10n.t('Ablation stopped: {0}', describeError(error)));
            break;
          }
          if (outcome.result) {
            done.push(outcome.runDir);
            if (outcome.result.state === 'completed') results.push({ id: run.id, exactMatch: outcome.result.metrics.exactMatch });
          } else {
            void vscode.window.showErrorMessage(vscode.l10n.t('Ablation stopped: run {0} failed: {1}', run.id, describeError(outcome.error)));
            break;
          }
        }
      } finally {
        stop.dispose();
      }
    },
  );
  if (done.length) ComparePanel.show(s.panels, done);
  if (seeds > 1 && results.length) {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: ablationReport(results, seeds) });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }
  return done;
}

/** The seeds' verdict as Markdown: mean ± std of test exact match per variant, and each claim's ordering. */
export function ablationReport(results: ReadonlyArray<{ id: string; exactMatch: number }>, seeds: number): string {
  const summary = summarizeAblation(results);
  const pct = (x: number | undefined) => (x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
  const lines = [
    `# ${vscode.l10n.t('Ablation on {0}: test exact match over {1} seeds', ABLATION_TASK, seeds)}`,
    '',
    `| ${vscode.l10n.t('variant')} | ${vscode.l10n.t('mean ± std')} | ${vscode.l10n.t('per seed')} |`,
    '| --- | --- | --- |',
    ...summary.map(v => `| ${v.id} | ${pct(v.mean)} ± ${pct(v.std)} | ${v.values.map(x => pct(x)).join(', ')} |`),
    '',
  ];
  const groups: Array<['cell' | 'direction' | 'attention', string]> = [['cell', vscode.l10n.t('Cell')], ['direction', vscode.l10n.t('Encoder direction')], ['attention', vscode.l10n.t('Attention')]];
  for (const [group, name] of groups) {
    const { order, separated } = orderingOf(summary.filter(v => v.groups.includes(group)));
    if (order.length < 2) continue;
    lines.push(`- **${name}**: ${order.join(' > ')} — ${separated
      ? vscode.l10n.t('each step larger than the two standard deviations together: the seeds agree on this order')
      : vscode.l10n.t('some neighbours are within their standard deviations: these seeds cannot tell them apart')}`);
  }
  return lines.join('\n') + '\n';
}

export function registerCompareCommands(s: Services): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showPredictionDiffs, (arg: unknown, selection: unknown) => showPredictionDiffs(s, runDirsOf(arg, selection))),
    vscode.commands.registerCommand(COMMANDS.compareCheckpoints, (arg: unknown, selection: unknown) => compareCheckpoints(s, runDirsOf(arg, selection))),
    vscode.commands.registerCommand(COMMANDS.comparePredictions, (arg: unknown, selection: unknown) => comparePredictions(s, runDirsOf(arg, selection))),
    vscode.commands.registerCommand(COMMANDS.compareRuns, (arg: unknown, selection: unknown) => compareRuns(s, runDirsOf(arg, selection))),
    vscode.commands.registerCommand(COMMANDS.runAblation, (size: unknown, seeds: unknown) => runAblation(s, size, seeds)),
    vscode.commands.registerCommand(COMMANDS.compareRemedies, (arg: unknown) => compareRemediesFrom(s, runDirsOf(arg, undefined)[0])),
  ];
}
