/**
 * `npm run bench:data`: how well the engine's DEFAULT configuration learns each corpus of
 * issue 9 in a fixed time, next to the best hand-tuned configuration found for that corpus.
 *
 *   npm run bench:data -- [--corpus NAME …] [--minutes M] [--default-only | --tuned-only]
 *                         [--small] [--out DIR] [--cli PATH] [--lock FILE]
 *
 * Builds the corpora (scripts/corpora) into DIR/corpora, trains each with the built CLI
 * (`node bin/seq2seq-lab.js train --data FILE --max-minutes M --out …`; run `npm run build`
 * first), and prints one JSON line per run — corpus, lines, minutes, the configuration
 * (`default` or `tuned` with its --set list), the tokenizers chosen, test metrics, stopReason,
 * seconds — and, when both ran, one `comparison` line with the headline metric of each and
 * their ratio default / tuned (for a lower-is-better metric, such as the WER/PER of g2p, a
 * ratio above 1 means the default is worse). Budgets are the (numbers 6 min,
 * translation 10, g2p 30) unless --minutes says otherwise. --lock FILE runs each training
 * under `flock FILE` (machines shared with other benchmarks).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { buildCorpora } from './corpora/build';
import { CORPORA, type HeadlineMetric } from './corpora/index';

/**
 * The best hand-tuned configuration found for each corpus. Every run uses its whole time:
 * patience 0 (no early stopping) and an epoch count it never reaches. Searched with short runs
 * on 2 cores (WASM), 2026-12-01:
 * - numbers: char → word, 64/32 units, batch 32: 100 % exact match in 2 minutes (128/64: 99 %;
 *   the engine's old defaults, cjk tokens and early stopping on exact match: 0 %).
 * - en-de (3-minute runs): subword → subword, 128/64 units, batch 32: BLEU 13.5, chrF 38.8
 *   (256/128, the data-fitted default's size: BLEU 7.0 in 3 minutes, 12.4 in 10; word → word
 *   256/128 on the old engine: BLEU 0.2, one epoch in 3 minutes; old defaults: BLEU 0).
 * - en-de-ts, en-zh, en-zh-ts, g2p, spelling: not searched yet — reasoned starting points
 *   (the tokenizers that fit the data, a model sized to it).
 */
export const TUNED: Record<string, string[]> = {
  numbers: ['sourceTokenizer=char', 'targetTokenizer=word', 'hiddenSize=64', 'embeddingSize=32', 'batchSize=32', 'epochs=10000', 'patience=0'],
  'en-de': ['sourceTokenizer=subword', 'targetTokenizer=subword', 'hiddenSize=128', 'embeddingSize=64', 'batchSize=32', 'epochs=10000', 'patience=0'],
  'en-de-ts': ['sourceTokenizer=subword', 'targetTokenizer=subword', 'hiddenSize=128', 'embeddingSize=64', 'batchSize=16', 'epochs=10000', 'patience=0'],
  'en-zh': ['sourceTokenizer=subword', 'targetTokenizer=cjk', 'hiddenSize=128', 'embeddingSize=64', 'batchSize=32', 'epochs=10000', 'patience=0'],
  'en-zh-ts': ['sourceTokenizer=subword', 'targetTokenizer=cjk', 'hiddenSize=128', 'embeddingSize=64', 'batchSize=16', 'epochs=10000', 'patience=0'],
  g2p: ['sourceTokenizer=char', 'targetTokenizer=word', 'hiddenSize=256', 'embeddingSize=64', 'batchSize=64', 'epochs=10000', 'patience=0'],
  spelling: ['sourceTokenizer=char', 'targetTokenizer=char', 'hiddenSize=128', 'embeddingSize=32', 'batchSize=32', 'epochs=10000', 'patience=0'],
};

interface TrainResultLine {
  state: string;
  epochs: number;
  steps: number;
  seconds: number;
  metrics: Record<string, number>;
  stopReason: string;
  tokenizers?: { source: string; target: string };
}

export interface BenchLine {
  corpus: string;
  configuration: 'default' | 'tuned';
  set: string[];
  lines: number;
  minutes: number;
  tokenizers: { source: string; target: string } | null;
  metrics: Record<string, number>;
  stopReason: string;
  epochs: number;
  steps: number;
  seconds: number;
  run: string;
}

/** Trains once with the CLI; resolves with its last stdout line, parsed. */
function train(cli: string, args: string[], logFile: string, lock?: string): Promise<TrainResultLine> {
  const [command, argv] = lock ? ['flock', [lock, process.execPath, cli, ...args]] : [process.execPath, [cli, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const log = fs.createWriteStream(logFile);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.pipe(log);
    child.on('error', reject);
    child.on('close', code => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${command} ${argv.join(' ')} exited with ${code}; see ${logFile}`));
      try {
        resolve(JSON.parse(last) as TrainResultLine);
      } catch {
        reject(new Error(`the last stdout line is not JSON: ${last.slice(0, 200)}; see ${logFile}`));
      }
    });
  });
}

function headlineValue(metrics: Record<string, number>, headline: HeadlineMetric): number | null {
  return typeof metrics[headline] === 'number' ? metrics[headline] : null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', multiple: true },
      minutes: { type: 'string' },
      'default-only': { type: 'boolean', default: false },
      'tuned-only': { type: 'boolean', default: false },
      small: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join('.bench', 'data') },
      cli: { type: 'string', default: path.join(__dirname, '..', 'bin', 'seq2seq-lab.js') },
      lock: { type: 'string' },
    },
  });
  if (values['default-only'] && values['tuned-only']) throw new Error('--default-only and --tuned-only exclude each other');
  const cli = path.resolve(values.cli!);
  if (!fs.existsSync(path.join(path.dirname(cli), '..', 'dist', 'cli.js'))) throw new Error(`${cli}: no dist/cli.js beside it; run npm run build first`);
  const minutesOverride = values.minutes === undefined ? undefined : Number(values.minutes);
  if (minutesOverride !== undefined && !(minutesOverride > 0)) throw new Error(`--minutes must be a positive number, not ${values.minutes}`);
  const names = values.corpus?.length ? values.corpus : ['numbers', 'en-de', 'en-zh', 'g2p', 'spelling'];
  const out = path.resolve(values.out!);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const written = buildCorpora(path.join(out, 'corpora'), { small: values.small, names, log: line => process.stderr.write(`${line}\n`) });
  const kinds: Array<'default' | 'tuned'> = values['default-only'] ? ['default'] : values['tuned-only'] ? ['tuned'] : ['default', 'tuned'];
  for (const { spec, file, lines } of written) {
    const minutes = minutesOverride ?? spec.minutes;
    const results: Partial<Record<'default' | 'tuned', BenchLine>> = {};
    for (const configuration of kinds) {
      const set = configuration === 'tuned' ? TUNED[spec.name] ?? [] : [];
      const run = path.join(out, 'runs', `${spec.name}-${configuration}-${stamp}`);
      fs.mkdirSync(path.dirname(run), { recursive: true });
      const args = ['train', '--data', file, '--max-minutes', String(minutes), '--out', run, ...set.flatMap(kv => ['--set', kv])];
      process.stderr.write(`${spec.name} (${configuration}): training for up to ${minutes} min → ${run}\n`);
      const result = await train(cli, args, `${run}.log`, values.lock);
      const tokenizersFile = path.join(run, 'tokenizers.json');
      const tokenizers = result.tokenizers ?? (fs.existsSync(tokenizersFile) ? (JSON.parse(fs.readFileSync(tokenizersFile, 'utf8')) as { source: string; target: string }) : null);
      const line: BenchLine = {
        corpus: spec.name, configuration, set, lines, minutes, tokenizers, metrics: result.metrics,
        stopReason: result.stopReason, epochs: result.epochs, steps: result.steps, seconds: result.seconds, run,
      };
      results[configuration] = line;
      console.log(JSON.stringify(line));
    }
    if (results.default && results.tuned) {
      const byDefault = headlineValue(results.default.metrics, spec.headline);
      const byTuned = headlineValue(results.tuned.metrics, spec.headline);
      const ratio = byDefault !== null && byTuned !== null && byTuned !== 0 ? byDefault / byTuned : null;
      console.log(JSON.stringify({ corpus: spec.name, comparison: spec.headline, lowerIsBetter: spec.headline === 'wer', default: byDefault, tuned: byTuned, ratio }));
    }
  }
}

if (require.main === module) {
  main().catch(error => {
    console.error(`bench:data: ${(error as Error).message}`);
    process.exit(1);
  });
}
