/**
 * The tag view of a tag run (the diffs panel shows it when the run's shape says `view: 'tags'`):
 * every sample's source tokens, each with its predicted tag beneath in the tag's colour (a
 * stable colour per tag from the theme's chart palette, tagView.ts), a wrong tag marked and the
 * reference tag shown next to it; a legend of the tags; a summary line; a filter for samples
 * with wrong tags. The list grows a page at a time ("Show more").
 */
import { formatMetric } from '../../src/shared/metrics';
import type { PredictionSet } from '../../src/shared/diffsProtocol';
import type { PredictedSample } from '../../src/shared/protocol';
import { paletteColor, type PaletteColor } from '../common/chartTheme';
import { el } from '../common/dom';
import { t } from '../common/l10n';
import { allTags, overallTagAccuracy, tagCells, tagColors, taggedSample, tagLegend, tagStats, type TagCell, type TagStats } from './tagView';

const PAGE = 100;

export class TagsView {
  readonly element = el('section', { id: 'tags-view', 'aria-labelledby': 'tags-heading' });
  private onlyWrong = false;
  private shown = PAGE;

  render(set: PredictionSet): void {
    const samples = set.samples.map(taggedSample);
    const cells = samples.map(tagCells);
    const stats = cells.map(tagStats);
    const colors = tagColors(allTags(samples));
    const legend = tagLegend(cells, colors);
    const rows = stats.map((s, i) => i).filter(i => !this.onlyWrong || !stats[i].allCorrect);
    const wrong = stats.filter(s => !s.allCorrect).length;

    const filter = el('input', { type: 'checkbox', id: 'only-wrong-tags' });
    filter.checked = this.onlyWrong;
    filter.addEventListener('change', () => {
      this.onlyWrong = filter.checked;
      this.shown = PAGE;
      this.render(set);
      document.getElementById('only-wrong-tags')?.focus();
    });
    const legendList = el('ul', { id: 'tag-legend', class: 'tag-legend', 'aria-label': t('Tags') });
    for (const entry of legend.entries) {
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.setProperty('--tag-color', paletteColor(entry.color));
      legendList.append(el('li', { 'data-tag': entry.tag, 'data-color': entry.color }, swatch, entry.tag, el('span', { class: 'help' }, ` ×${entry.count}`)));
    }
    if (legend.more) legendList.append(el('li', { class: 'help' }, t('and {0} more tags', legend.more)));

    const list = el('ol', { id: 'tag-rows', class: 'tag-rows' });
    for (const i of rows.slice(0, this.shown)) list.append(this.row(set.samples[i], cells[i], stats[i], colors));
    const more = el('button', { type: 'button', id: 'more-tags' }, t('Show {0} more', Math.min(PAGE, rows.length - this.shown)));
    more.addEventListener('click', () => {
      this.shown += PAGE;
      this.render(set);
      document.getElementById('more-tags')?.focus();
    });

    this.element.replaceChildren(
      el('h2', { id: 'tags-heading' }, t('Tags')),
      el('p', { id: 'tags-summary', class: 'summary', role: 'status' }, t('{0} samples · tag accuracy {1} · {2} with a wrong tag', samples.length, formatMetric('tokenAccuracy', overallTagAccuracy(stats)), wrong)),
      el('p', { class: 'controls' }, filter, ' ', el('label', { for: 'only-wrong-tags' }, t('Only samples with a wrong tag'))),
      el('p', { class: 'help' }, t('Each token\'s predicted tag is under it, in the tag\'s colour; a wrong tag is struck through, with the reference tag after it.')),
      legendList,
      el('p', { id: 'tag-count', class: 'help' }, t('Showing {0} of {1} samples', Math.min(this.shown, rows.length), rows.length)),
      list,
      ...(rows.length > this.shown ? [el('p', {}, more)] : []),
    );
    document.body.dataset.tagRows = String(rows.length);
  }

  private row(sample: PredictedSample, cells: readonly TagCell[], stats: TagStats, colors: ReadonlyMap<string, PaletteColor>): HTMLElement {
    const tokens = el('span', { class: 'tag-tokens' });
    for (const cell of cells) {
      const color = colors.get(cell.predicted);
      const tag = el('span', { class: 'tag' }, cell.predicted || '∅');
      const node = el('span', {
        class: `tag-token${cell.wrong ? ' wrong' : ''}`, 'data-tag': cell.predicted, ...(cell.reference === undefined ? {} : { 'data-reference': cell.reference }),
        title: cell.wrong ? t('{0}: predicted {1}, reference {2}', cell.token, cell.predicted || '∅', cell.reference ?? '') : t('{0}: {1}', cell.token, cell.predicted || '∅'),
      }, el('span', { class: 'tok' }, cell.token), tag);
      if (color) node.style.setProperty('--tag-color', paletteColor(color));
      if (cell.wrong) node.append(el('span', { class: 'ref-tag' }, t('ref {0}', cell.reference ?? '')));
      tokens.append(node);
    }
    const badge = stats.allCorrect ? el('span', { class: 'badge ok' }, t('correct')) : el('span', { class: 'badge bad' }, t('{0} of {1} tags wrong', stats.tokens - stats.correct, stats.tokens));
    return el('li', { class: `tag-row${stats.allCorrect ? '' : ' has-wrong'}`, 'data-index': String(sample.index) },
      el('div', { class: 'head' }, el('span', { class: 'num' }, `#${sample.index + 1}`), ' ', badge), tokens);
  }
}
