/**
 * The exposure-bias remedies of the course notes (seed 001) side by side on the same data:
 * teacher forcing, scheduled sampling, and RL fine-tuning (self-critical sequence training)
 * from the teacher-forced run's best checkpoint. Prints, per remedy, the validation scores of its
 * best checkpoint: teacher-forced and free-running token accuracy and the exposure gap
 * (free-running − teacher-forced loss), then one JSON line.
 *
 *   npm run compare:remedies -- [--task reverse] [--epochs 25] [--rl-epochs 4] [--out runs/remedies]
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { initBackend } from '../src/engine/backend';
import { trainRun } from '../src/engine/train/trainer';
import { RunDirectory } from '../src/engine/train/runDir';
import type { Seq2SeqConfig } from '../src/shared/config';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { task: { type: 'string', default: 'reverse' }, epochs: { type: 'string', default: '25' }, 'rl-epochs': { type: 'string', default: '4' }, out: { type: 'string' } } });
  const backend = await initBackend('auto');
  const out = path.resolve(values.out ?? path.join('runs', `remedies-${Date.now()}`));
  fs.mkdirSync(out, { recursive: true });
  const base: Partial<Seq2SeqConfig> = { taskSize: 600, embeddingSize: 16, hiddenSize: 32, batchSize: 16, epochs: Number(values.epochs), evalSamples: 60, patience: 0, annealFraction: 0 };
  const data = { task: values.task! };
  const runs: Array<{ remedy: string; dir: string }> = [];
  const train = async (remedy: string, options: Parameters<typeof trainRun>[0]) => {
    process.stderr.write(`${remedy}: training ${options.runDir}\n`);
    await trainRun(options);
    runs.push({ remedy, dir: options.runDir });
  };
  await train('teacher forcing', { runDir: path.join(out, 'teacher-forcing'), data, config: base, backend });
  await train('scheduled sampling', { runDir: path.join(out, 'scheduled-sampling'), data, config: { ...base, scheduledSampling: 'linear', samplingDecay: 300, samplingFloor: 0.5 }, backend });
  await train('RL fine-tuning', {
    runDir: path.join(out, 'rl'), finetuneFrom: path.join(out, 'teacher-forcing'), backend,
    config: { objective: 'rl', rlReward: 'bleu', rlSamples: 4, epochs: Number(values['rl-epochs']), learningRate: 0.0003, evalEverySteps: 10 },
  });
  const rows = runs.map(({ remedy, dir }) => {
    const best = new RunDirectory(dir).readMetrics().filter(r => r.split === 'valid' && r.best).pop() ?? {};
    const n = (key: string) => (typeof best[key] === 'number' ? (best[key] as number) : NaN);
    return { remedy, run: dir, step: n('step'), teacherForcedAccuracy: n('teacherForcedAccuracy'), freeRunAccuracy: n('freeRunAccuracy'), exposureGap: n('exposureGap'), exactMatch: n('exactMatch'), reward: n('reward') };
  });
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`.padStart(8);
  process.stderr.write(`\n${'remedy'.padEnd(20)} teacher-forced acc  free-running acc  exposure gap  exact match\n`);
  for (const r of rows) process.stderr.write(`${r.remedy.padEnd(20)} ${pct(r.teacherForcedAccuracy).padStart(18)} ${pct(r.freeRunAccuracy).padStart(17)} ${r.exposureGap.toFixed(4).padStart(13)} ${pct(r.exactMatch).padStart(12)}\n`);
  process.stdout.write(JSON.stringify({ out, remedies: rows }) + '\n');
}

main().catch(error => {
  process.stderr.write(`compare:remedies: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
