/**
 * The pure logic of the run comparison panel: which hyperparameters differ between runs, the
 * order of the table's rows, and the curves of one metric for every run.
 */
import { CONFIG_FIELDS } from '../../src/shared/config';
import { differingKeys, formatHyperparameter } from '../../src/shared/experimentsTable';
import type { RunSummary } from '../../src/shared/diffsProtocol';
import type { ResolvedShape } from '../../src/shared/config';
import { isBetter, type MetricKey, type TargetUnit } from '../../src/shared/metrics';
import { SHAPES } from '../../src/shared/shapes';
import type { EvalMetrics } from '../../src/shared/protocol';

/** A value as the table shows it (and as differences are judged): the experiments table's rule. */
export const formatValue = formatHyperparameter;
export { differingKeys };

/** The table's rows: the schema's order (with its labels), then unknown keys alphabetically; differing first when asked. */
export function configRows(configs: ReadonlyArray<Record<string, unknown>>, differingFirst = false): Array<{ key: string; label: string; differs: boolean }> {
  const differing = differingKeys(configs);
  const present = new Set(configs.flatMap(c => Object.keys(c)));
  const known = CONFIG_FIELDS.filter(f => present.has(f.key)).map(f => ({ key: f.key as string, label: f.label }));
  const knownKeys = new Set(known.map(k => k.key));
  const extra = [...present].filter(k => !knownKeys.has(k)).sort().map(key => ({ key, label: key }));
  const rows = [...known, ...extra].map(r => ({ ...r, differs: differing.has(r.key) }));
  return differingFirst ? [...rows.filter(r => r.differs), ...rows.filter(r => !r.differs)] : rows;
}

/** The curves charted, one chart each (English titles, shown through t()); units and formats come from METRICS. */
export const CURVE_METRICS: ReadonlyArray<{ key: MetricKey; title: string }> = [
  { key: 'exactMatch', title: 'Validation exact match' },
  { key: 'tokenAccuracy', title: 'Validation token accuracy' },
  { key: 'bleu', title: 'Validation BLEU' },
  { key: 'cer', title: 'Validation CER' },
  { key: 'wer', title: 'Validation WER' },
  { key: 'loss', title: 'Validation loss' },
  // Exposure bias (seed 001): what feeding its own predictions costs each run.
  { key: 'exposureGap', title: 'Validation exposure gap' },
  { key: 'freeRunAccuracy', title: 'Validation free-running accuracy' },
  { key: 'macroF1', title: 'Validation macro-F1' },
];

/** A run's shape (runs before the shapes: seq2seq). */
export const shapeOf = (run: RunSummary): ResolvedShape => run.shape ?? 'seq2seq';

/** Whether any of the runs' shapes has the metric (BLEU is left out when every run is a classify run). */
export function metricShown(key: MetricKey, runs: readonly RunSummary[]): boolean {
  return runs.some(run => SHAPES[shapeOf(run)].metrics.includes(key));
}

/** The shape all runs share (their metrics are then named for it), else undefined. */
export function sharedShape(runs: readonly RunSummary[]): ResolvedShape | undefined {
  const shapes = new Set(runs.map(shapeOf));
  return shapes.size === 1 ? [...shapes][0] : undefined;
}

/** The best of the runs' values of a metric (its direction from METRICS); undefined when all are equal or none is known. */
export function bestOf(values: ReadonlyArray<number | undefined>, key: MetricKey): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (new Set(known).size < 2) return undefined;
  return known.reduce((best, v) => (isBetter(key, v, best) ? v : best));
}

/** `phoneme` when every run's targets are phonemes (the WER column is then the PER), else `word`. */
export function targetUnitOf(runs: readonly RunSummary[]): TargetUnit {
  return runs.length > 0 && runs.every(r => r.targetUnit === 'phoneme') ? 'phoneme' : 'word';
}

/** One metric's points per run, (step, value), finite values only. */
export function curvePoints(runs: readonly RunSummary[], metric: keyof EvalMetrics): Array<Array<{ x: number; y: number }>> {
  return runs.map(run => {
    const offset = stepOffset(run, runs);
    return run.curves.filter(p => Number.isFinite(p.metrics[metric])).map(p => ({ x: offset + p.step, y: p.metrics[metric] }));
  });
}

/**
 * Where a run's step 0 lies on the shared step axis: a run fine-tuned from another run that is
 * compared too continues that run's curve from the step it started at (its source's best
 * checkpoint), so an RL fine-tune is drawn after the teacher-forced training it continues.
 */
export function stepOffset(run: RunSummary, runs: readonly RunSummary[]): number {
  const from = run.finetunedFrom;
  if (!from || from.step === undefined) return 0;
  const source = runs.find(r => r !== run && r.runDir === from.run);
  return source ? from.step + stepOffset(source, runs.filter(r => r !== run)) : 0;
}

/** Short, distinct run labels: the part of the names that differs (e.g. "ablation-gru"), else the name. */
export function runLabels(runs: readonly RunSummary[]): string[] {
  return runs.map(r => r.name.replace(/-\d{8}-\d{6}(-\d+)?$/, '')).map((label, i, all) => (all.indexOf(label) !== all.lastIndexOf(label) ? runs[i].name : label));
}
