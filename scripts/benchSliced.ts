/**
 * Sliced-encoder benchmark: `npm run bench:sliced -- [--lengths 64,256,1024] [--srnn 8x1,8x2]
 * [--cell lstm] [--unidirectional] [--batch 32] [--hidden 256] [--repeats 3] [--backend auto|wasm|cpu]`.
 *
 * Times the encoder's forward + backward pass (the gradient of a scalar of its memory and
 * decoder initial state with respect to every encoder parameter and the source embeddings) for
 * a standard RNN encoder and each sliced one SRNN(K, n) of `--srnn` (Yu & Liu 2018, src/engine/model/sliced.ts),
 * same cell, width and data, at each source length: random ids, batch 32, hidden 256 per
 * direction, embedding 128. One warm-up run, then the median of `--repeats`. Prints one JSON
 * line per length and a Markdown table at the end.
 */
import { parseArgs } from 'util';
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { initBackend } from '../src/engine/backend';
import { Seq2SeqModel } from '../src/engine/model/seq2seq';
import { CONFIG_FIELDS, DEFAULT_CONFIG, type BackendName, type CellType, type Seq2SeqConfig } from '../src/shared/config';

const VOCAB = 64;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median milliseconds of the encoder's forward + backward pass on `ids` [batch, length]. */
function timeEncoder(model: Seq2SeqModel, ids: tf.Tensor2D, mask: tf.Tensor2D, repeats: number): number {
  const names = model.params.names().filter(n => n.startsWith('encoder/') || n === 'source/embedding' || n.startsWith('bridge/'));
  const variables = names.map(n => model.params.get(n));
  const once = () => {
    const started = performance.now();
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const encoded = model.encode(ids, mask, true);
        const states = encoded.initialStates.map(s => tf.sum(s.h));
        return tf.addN([tf.mean(encoded.memory), ...states]) as tf.Scalar;
      }, variables);
      value.dataSync();
      Object.values(grads).forEach(g => g.dataSync());
    });
    return performance.now() - started;
  };
  once(); // warm-up: kernels compiled, XNNPACK weights packed
  return median(Array.from({ length: repeats }, once));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lengths: { type: 'string', default: '64,256,1024' }, srnn: { type: 'string', default: '8x1,8x2' },
      cell: { type: 'string', default: 'lstm' }, unidirectional: { type: 'boolean', default: false }, batch: { type: 'string', default: '32' },
      hidden: { type: 'string', default: '256' }, repeats: { type: 'string', default: '3' }, backend: { type: 'string', default: 'auto' },
    },
  });
  const cells = (CONFIG_FIELDS.find(f => f.key === 'cell') as { options: readonly string[] }).options;
  if (!cells.includes(values.cell!)) throw new Error(`--cell must be one of ${cells.join(', ')}`);
  const whole = (name: string, text: string | undefined, min: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min} (got "${text}")`);
    return n;
  };
  const lengths = values.lengths!.split(',').map(l => whole('lengths', l, 1));
  const shapes = values.srnn!.split(',').map(text => {
    const [k, n] = text.split('x');
    return { slices: whole('srnn K', k, 2), levels: whole('srnn n', n, 1) };
  });
  const [batch, hidden, repeats] = [whole('batch', values.batch, 1), whole('hidden', values.hidden, 1), whole('repeats', values.repeats, 1)];
  const backend = await initBackend(values.backend as BackendName);
  const base: Seq2SeqConfig = {
    ...DEFAULT_CONFIG, cell: values.cell as CellType, bidirectional: !values.unidirectional, embeddingSize: 128, hiddenSize: hidden,
    encoderLayers: 1, decoderLayers: 1, dropout: 0,
  };
  const shape = { sourceVocabSize: VOCAB, targetVocabSize: VOCAB };
  const standard = new Seq2SeqModel({ ...base, encoderType: 'standard' }, shape);
  const sliced = shapes.map(s => new Seq2SeqModel({ ...base, encoderType: 'sliced', sliceCount: s.slices, sliceLevels: s.levels }, shape));
  const rng = seedrandom('bench:sliced');
  const rows: string[] = [];
  for (const length of lengths) {
    const ids = tf.tensor2d(Array.from({ length: batch * length }, () => 4 + Math.floor(rng() * (VOCAB - 4))), [batch, length], 'int32');
    const mask = tf.ones([batch, length]) as tf.Tensor2D;
    const standardMs = timeEncoder(standard, ids, mask, repeats);
    const cells: string[] = [];
    shapes.forEach(({ slices, levels }, i) => {
      const slicedMs = timeEncoder(sliced[i], ids, mask, repeats);
      const line = {
        length, batch, hidden, cell: base.cell, bidirectional: base.bidirectional, slices, levels, backend,
        sequentialSteps: { standard: length, sliced: Math.ceil(length / slices ** levels) + levels * slices },
        standardMs: Math.round(standardMs), slicedMs: Math.round(slicedMs), speedup: Number((standardMs / slicedMs).toFixed(2)),
      };
      console.log(JSON.stringify(line));
      cells.push(`${line.slicedMs.toLocaleString('en')} (**${line.speedup}×**, ${line.sequentialSteps.sliced} steps)`);
    });
    tf.dispose([ids, mask]);
    rows.push(`| ${length} | ${Math.round(standardMs).toLocaleString('en')} (${length} steps) | ${cells.join(' | ')} |`);
  }
  console.log([
    `| source length | standard, ms | ${shapes.map(s => `SRNN(${s.slices}, ${s.levels}), ms (speed-up)`).join(' | ')} |`,
    `| ---: | ---: | ${shapes.map(() => '---:').join(' | ')} |`,
    ...rows,
  ].join('\n'));
  standard.dispose();
  sliced.forEach(m => m.dispose());
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
