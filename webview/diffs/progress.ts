/** The diffs panel's loading state: the progress label, bar and Cancel button. */
import { el } from '../common/dom';
import { t } from '../common/l10n';
import { post } from '../common/vscodeApi';

/** The progress label, bar and Cancel button (alone while nothing is predicted yet, above the partial list after). */
export function progressBlock(): HTMLElement {
  const bar = el('progress', { id: 'predict-progress', max: '1', value: '0', 'aria-label': t('Prediction progress') });
  const cancel = el('button', { id: 'cancel', type: 'button' }, t('Cancel'));
  cancel.addEventListener('click', () => post({ type: 'cancel' }));
  return el('div', { class: 'progress-block' }, el('p', { id: 'progress-label', class: 'loading', role: 'status' }), bar, ' ', cancel);
}


/** Updates the progress block, or shows it alone (under the title) when the page has none. */
export function showProgressOf(title: string, label: string, done: number, total: number): void {
  let bar = document.getElementById('predict-progress') as HTMLProgressElement | null;
  if (!bar) {
    const main = document.getElementById('app')!;
    main.setAttribute('aria-busy', 'true');
    main.replaceChildren(el('h1', {}, title), progressBlock());
    bar = document.getElementById('predict-progress') as HTMLProgressElement;
  }
  bar.max = Math.max(1, total);
  bar.value = done;
  document.getElementById('progress-label')!.textContent = t('{0}: {1} of {2} samples predicted…', label, done, total);
}

