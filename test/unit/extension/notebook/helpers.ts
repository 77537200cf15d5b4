/** Shared builders for the notebook tests: engine events as the trainer sends them. */
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import type { EvalMetrics, EvalSample, ProgressEvent, TrainResult } from '../../../../src/shared/protocol';
import type { NotebookShape } from '../../../../src/extension/notebook/serializer';

export const FIXTURES = `${__dirname}/fixtures`;

export function metrics(exactMatch: number, loss: number): EvalMetrics {
  return { exactMatch, tokenAccuracy: Math.min(1, exactMatch + 0.1), bleu: exactMatch * 90, chrf: exactMatch * 95, cer: (1 - exactMatch) / 4, wer: (1 - exactMatch) / 2, perplexity: Math.exp(loss), loss, teacherForcedAccuracy: Math.min(1, exactMatch + 0.2), freeRunLoss: loss * 1.5, freeRunAccuracy: Math.min(1, exactMatch + 0.1), exposureGap: loss * 0.5, reward: exactMatch * 0.9, macroF1: NaN };
}

function sample(output: string): EvalSample {
  return { source: 'march 3 2021', sourceTokens: [], output, tokens: [], probabilities: [], attention: [], candidates: [], reference: '2021-03-03' };
}

export function startEvent(runDir: string, totalSteps: number, startStep = 0): ProgressEvent {
  return { kind: 'start', runDir, backend: 'cpu', config: { ...DEFAULT_CONFIG, hiddenSize: 128 }, trainPairs: 900, validPairs: 50, testPairs: 50, stepsPerEpoch: totalSteps / 2, totalSteps, startStep };
}

export function stepEvent(step: number, loss: number, totalSteps = 20): ProgressEvent {
  return { kind: 'step', step, epoch: step <= totalSteps / 2 ? 1 : 2, loss, learningRate: 0.005, gradientNorm: 1, teacherForcing: 1, tokensPerSecond: 1000, etaSeconds: 10, fractionDone: step / totalSteps };
}

export function evalEvent(step: number, epoch: number, exactMatch: number, loss: number, output: string): ProgressEvent {
  return { kind: 'eval', step, epoch, metrics: metrics(exactMatch, loss), best: true, sample: sample(output) };
}

export function result(runDir: string, state: TrainResult['state'] = 'completed'): TrainResult {
  return { run: runDir, state, backend: 'cpu', epochs: 2, steps: 20, seconds: 75.5, targetTokensPerSecond: 1200, metrics: metrics(0.96, 0.05), signatures: { bleu: 'nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.4.0', chrf: 'nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.4.0' }, stopReason: 'reached the last epoch' };
}

/**
 * What VS Code hands back to serializeNotebook: a copy of what deserializeNotebook gave it
 * (metadata travels as JSON), with the text of each cell as the editor holds it.
 */
export function throughEditor(notebook: NotebookShape, editText: (value: string, index: number) => string = v => v): NotebookShape {
  return {
    metadata: JSON.parse(JSON.stringify(notebook.metadata ?? {})),
    cells: notebook.cells.map((cell, i) => ({ kind: cell.kind, languageId: cell.languageId, value: editText(cell.value, i), metadata: JSON.parse(JSON.stringify(cell.metadata ?? {})), outputs: [] })),
  };
}
