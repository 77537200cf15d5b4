/**
 * Draws the dataset card (dataCard.ts decides what it says) inside the form's Dataset section:
 * a status line (reading, failed, or what the card is of) announced politely, the overview,
 * the first bad lines (a disclosure), the source/target table and the warnings. Text only
 * through textContent.
 */
import { el } from '../common/dom';
import { sidesTable } from '../common/sidesTable';
import { t } from '../common/l10n';
import { progressRing } from './controls';
import { cardView, type CardState } from './dataCard';
import type { DatasetCard } from '../../src/shared/dataCard';

export class DataCardView {
  readonly element = el('section', { id: 'data-card', class: 'data-card', 'aria-labelledby': 'data-card-heading', hidden: '' });
  private readonly status = el('p', { id: 'data-card-status', class: 'data-card-status', role: 'status', 'aria-live': 'polite' });
  private readonly body = el('div', { class: 'data-card-body' });

  constructor() {
    this.element.append(el('h3', { id: 'data-card-heading' }, t('Dataset card')), this.status, this.body);
  }

  show(state: CardState): void {
    this.element.hidden = state.kind === 'none';
    this.element.dataset.state = state.kind;
    this.element.setAttribute('aria-busy', String(state.kind === 'loading'));
    this.status.classList.toggle('error', state.kind === 'failed');
    this.status.setAttribute('role', state.kind === 'failed' ? 'alert' : 'status');
    switch (state.kind) {
      case 'none':
        this.status.replaceChildren();
        this.body.replaceChildren();
        return;
      case 'loading':
        this.status.replaceChildren(progressRing(), el('span', {}, t('Reading the data…')));
        if (state.previous) this.body.replaceChildren(...this.render(state.previous));
        this.body.classList.add('stale');
        return;
      case 'failed':
        this.status.replaceChildren(t('The data could not be read: {0}', state.message));
        this.body.replaceChildren();
        return;
      case 'ready':
        this.status.replaceChildren(
          state.card.warnings.length === 0
            ? t('No problems found.')
            : state.card.warnings.length === 1 ? t('1 warning.') : t('{0} warnings.', state.card.warnings.length),
        );
        this.body.replaceChildren(...this.render(state.card));
        this.body.classList.remove('stale');
        return;
    }
  }

  private render(card: DatasetCard): Node[] {
    const view = cardView(card);
    const nodes: Node[] = [];
    if (view.warnings.length) {
      nodes.push(el('ul', { class: 'data-warnings', 'aria-label': t('Warnings') }, ...view.warnings.map(w => el('li', { class: 'data-warning', 'data-warning': w.id }, w.text))));
    }
    const overview = el('dl', { class: 'stats data-overview' });
    for (const row of view.overview) overview.append(el('dt', {}, row.label), el('dd', {}, row.value));
    nodes.push(overview);
    if (view.badLines.length) {
      const more = view.moreBadLines ? el('p', { class: 'help' }, t('… and {0} more.', view.moreBadLines)) : undefined;
      nodes.push(
        el('details', { class: 'bad-lines' },
          el('summary', {}, t('First bad lines')),
          el('ul', {}, ...view.badLines.map(line => el('li', {}, line))),
          more),
      );
    }
    nodes.push(sidesTable(view.sides, el('caption', { class: 'visually-hidden' }, t('Source and target side'))));
    if (view.autoSettings.length) {
      const auto = el('dl', { class: 'stats data-auto' });
      for (const row of view.autoSettings) auto.append(el('dt', {}, row.label), el('dd', {}, row.value));
      nodes.push(el('details', { class: 'auto-settings' }, el('summary', {}, t('Settings left at auto')), auto));
    }
    return nodes;
  }
}
