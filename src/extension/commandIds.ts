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
  deleteRun: 'seq2seqLab.deleteRun',
  showLog: 'seq2seqLab.showLog',
  showPredictionDiffs: 'seq2seqLab.showPredictionDiffs',
  compareCheckpoints: 'seq2seqLab.compareCheckpoints',
  comparePredictions: 'seq2seqLab.comparePredictions',
  compareRuns: 'seq2seqLab.compareRuns',
  runAblation: 'seq2seqLab.runAblation',
  showExperiments: 'seq2seqLab.showExperiments',
  revealInExperiments: 'seq2seqLab.revealInExperiments',
} as const;

export const RUNS_VIEW = 'seq2seqLab.runs';
