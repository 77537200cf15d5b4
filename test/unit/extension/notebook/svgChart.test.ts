/** The export charts' geometry, checked against coordinates worked out by hand. */
import { strict as assert } from 'assert';
import type { ChartSpec } from '../../../../src/shared/experimentLog/runCharts';
import { CHART_HEIGHT, CHART_MARGIN, CHART_WIDTH, extent, lineChartSvg, linePath } from '../../../../src/extension/notebook/svgChart';

// Default chart: 480 × 240 with margins left 48, right 16, top 28, bottom 36,
// so the plot box is x 48…464 (width 416) and y 28…204 (height 176).
const BOX = { left: 48, top: 28, width: 416, height: 176 };

describe('notebook/svgChart', () => {
  it('uses the plot box the hand calculations assume', () => {
    assert.deepEqual([CHART_WIDTH, CHART_HEIGHT, CHART_MARGIN], [480, 240, { left: 48, right: 16, top: 28, bottom: 36 }]);
  });

  it('maps a straight line corner to corner', () => {
    // x 0→48, 10→48+208=256, 20→464; y 0→204, 5→204-88=116, 10→28 (SVG y grows downwards).
    assert.equal(linePath([[0, 0], [10, 5], [20, 10]], [0, 20], [0, 10], BOX), 'M48,204L256,116L464,28');
  });

  it('maps a falling loss curve over an offset domain, rounding to 2 decimals', () => {
    // x: 48 + (x−100)/300·416 → 48, 186.666…, 464; y: 204 − (y−0.5)/2·176 → 28, 160, 204.
    assert.equal(linePath([[100, 2.5], [200, 1], [400, 0.5]], [100, 400], [0.5, 2.5], BOX), 'M48,28L186.67,160L464,204');
  });

  it('gives a flat series a height instead of dividing by zero', () => {
    assert.deepEqual(extent([3, 3]), [2, 4]);
    assert.equal(linePath([[0, 3], [1, 3]], [0, 1], extent([3, 3]), BOX), 'M48,116L464,116');
  });

  it('draws every series of a chart on shared axes, with escaped labels', () => {
    const chart: ChartSpec = {
      id: 'loss',
      title: 'Loss <&>',
      yLabel: 'nats',
      series: [
        { name: 'train', color: 'blue', points: [[0, 2], [20, 0]] },
        { name: 'valid', color: 'orange', points: [[10, 1], [20, 0.5]] },
        { name: 'one', color: 'green', points: [[20, 2]] },
      ],
    };
    const svg = lineChartSvg(chart);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="480" height="240"/);
    // Shared domains x 0…20, y 0…2: (10, 1) → (256, 116).
    assert.ok(svg.includes('d="M48,28L464,204"'));
    assert.ok(svg.includes('d="M256,116L464,160"'));
    assert.ok(svg.includes('<circle cx="464" cy="28" r="3"'));
    assert.ok(svg.includes('Loss &lt;&amp;&gt;'));
    assert.ok(!svg.includes('<&>'));
  });
});
