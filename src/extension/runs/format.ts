/** How a run reads in the Runs view and in pickers (localized). */
import * as vscode from 'vscode';
import type { RunInfo } from './runStore';

export function stateLabel(run: Pick<RunInfo, 'state'>): string {
  switch (run.state) {
    case 'running': return vscode.l10n.t('running');
    case 'completed': return vscode.l10n.t('completed');
    case 'cancelled': return vscode.l10n.t('cancelled');
    case 'failed': return vscode.l10n.t('failed');
    case 'interrupted': return vscode.l10n.t('interrupted');
    case 'damaged': return vscode.l10n.t('damaged');
  }
}

/** "best exactMatch 0.950", or '' before the first evaluation. */
export function bestLabel(run: RunInfo): string {
  const best = run.manifest?.best;
  return best ? vscode.l10n.t('best {0} {1}', best.metric, best.value.toFixed(3)) : '';
}

/** One line: state, progress, best metric, backend. */
export function runDetail(run: RunInfo): string {
  if (!run.manifest) return run.problem ?? stateLabel(run);
  const m = run.manifest;
  const parts = [stateLabel(run), vscode.l10n.t('epoch {0}, step {1}', m.epoch + 1, m.step), bestLabel(run), m.backend];
  if (run.state === 'failed' || run.state === 'interrupted') parts.push(m.error ?? '');
  return parts.filter(Boolean).join(' · ');
}
