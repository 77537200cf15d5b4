/** Command ids, as contributed in package.json. */
export const COMMANDS = {
  train: 'seq2seqLab.trainModel',
  stop: 'seq2seqLab.stopTraining',
  resume: 'seq2seqLab.resumeTraining',
  translate: 'seq2seqLab.translateSelection',
  selectModel: 'seq2seqLab.selectModel',
  showAttention: 'seq2seqLab.showAttention',
  openDashboard: 'seq2seqLab.openDashboard',
  refreshRuns: 'seq2seqLab.refreshRuns',
  openRun: 'seq2seqLab.openRun',
  resumeRun: 'seq2seqLab.resumeRun',
  finetuneRun: 'seq2seqLab.finetuneRun',
  compareRemedies: 'seq2seqLab.compareRemedies',
  deleteRun: 'seq2seqLab.deleteRun',
  showLog: 'seq2seqLab.showLog',
  showInfo: 'seq2seqLab.showInfo',
  showPredictionDiffs: 'seq2seqLab.showPredictionDiffs',
  compareCheckpoints: 'seq2seqLab.compareCheckpoints',
  comparePredictions: 'seq2seqLab.comparePredictions',
  compareRuns: 'seq2seqLab.compareRuns',
  runAblation: 'seq2seqLab.runAblation',
  showExperiments: 'seq2seqLab.showExperiments',
  showSweep: 'seq2seqLab.showSweep',
  revealInExperiments: 'seq2seqLab.revealInExperiments',
  /** Internal: delete several runs after one confirmation (the experiments table). */
  deleteRuns: 'seq2seqLab.deleteRuns',
  /** Internal: the Train Model form prefilled with a run's data and settings. */
  trainFromRun: 'seq2seqLab.trainFromRun',
  queueMoveUp: 'seq2seqLab.queue.moveUp',
  queueMoveDown: 'seq2seqLab.queue.moveDown',
  queueRemove: 'seq2seqLab.queue.remove',
  queueClear: 'seq2seqLab.queue.clear',
  /** Queues a run with a run directory's data and settings (the experiments table's row action). */
  queueFromRun: 'seq2seqLab.queueFromRun',
} as const;

export const RUNS_VIEW = 'seq2seqLab.runs';
export const QUEUE_VIEW = 'seq2seqLab.queue';
