/**
 * Sliced-encoder benchmark: `npm run bench:sliced -- [--lengths 64,256,1024] [--srnn 8x1,8x2]
 * [--cell lstm] [--bidirectional] [--batch 32] [--hidden 256] [--repeats 3] [--backend auto|wasm|cpu]`.
 *
 * Times the encoder's forward + backward pass (the gradient of a scalar of its memory and
 * decoder initial state with respect to every encoder parameter and the source embeddings) for
 * a standard (unidirectional, as in the paper; `--bidirectional` doubles the work and the memory,
 * which at length 1024 exceeds what the WASM heap holds) RNN encoder and each sliced one SRNN(K, n) of `--srnn` (Yu & Liu 2018, src/engine/model/sliced.ts),
 * same cell, width and data, at each source length: random ids, batch 32, hidden 256 per
 * direction, embedding 128. Each model is warmed up once (kernels compiled, weights packed), then
 * each figure is the median of `--repeats` runs, in CPU time of this process (user + system:
 * the WASM backend runs on one thread, so this is the work itself and barely moves when other
 * processes share the cores) and in wall-clock time. The speed-up is the CPU-time ratio.
 * Prints one JSON line per length and model and a Markdown table at the end.
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

interface Timing {
  /** median wall-clock milliseconds */
  wallMs: number;
  /** median CPU milliseconds of this process (user + system): what the work costs, even on a busy machine */
  cpuMs: number;
}

/** The encoder's forward + backward pass on `ids` [batch, length], `repeats` times. */
function timeEncoder(model: Seq2SeqModel, ids: tf.Tensor2D, mask: tf.Tensor2D, repeats: number): Timing {
  const names = model.params.names().filter(n => n.startsWith('encoder/') || n === 'source/embedding' || n.startsWith('bridge/'));
  const variables = names.map(n => model.params.get(n));
  const once = () => {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const encoded = model.encode(ids, mask, true);
        const states = encoded.initialStates.map(s => tf.sum(s.h));
        return tf.addN([tf.mean(encoded.memory), ...states]) as tf.Scalar;
      }, variables);
      value.dataSync();
      Object.values(grads).forEach(g => g.dataSync());
    });
    const used = process.cpuUsage(cpu);
    return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
  };
  const runs = Array.from({ length: repeats }, once);
  return { wallMs: median(runs.map(r => r.wallMs)), cpuMs: median(runs.map(r => r.cpuMs)) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lengths: { type: 'string', default: '64,256,1024' }, srnn: { type: 'string', default: '8x1,8x2' },
      cell: { type: 'string', default: 'lstm' }, bidirectional: { type: 'boolean', default: false }, batch: { type: 'string', default: '32' },
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
    ...DEFAULT_CONFIG, cell: values.cell as CellType, bidirectional: values.bidirectional!, embeddingSize: 128, hiddenSize: hidden,
    encoderLayers: 1, decoderLayers: 1, dropout: 0,
  };
  const shape = { sourceVocabSize: VOCAB, targetVocabSize: VOCAB };
  const standard = new Seq2SeqModel({ ...base, encoderType: 'standard' }, shape);
  const sliced = shapes.map(s => new Seq2SeqModel({ ...base, encoderType: 'sliced', sliceCount: s.slices, sliceLevels: s.levels }, shape));
  const rng = seedrandom('bench:sliced');
  const randomBatch = (length: number) => ({
    ids: tf.tensor2d(Array.from({ length: batch * length }, () => 4 + Math.floor(rng() * (VOCAB - 4))), [batch, length], 'int32'),
    mask: tf.ones([batch, length]) as tf.Tensor2D,
  });
  const warm = randomBatch(32);
  for (const model of [standard, ...sliced]) timeEncoder(model, warm.ids, warm.mask, 1);
  tf.dispose([warm.ids, warm.mask]);
  const rows: string[] = [];
  for (const length of lengths) {
    const { ids, mask } = randomBatch(length);
    const standardTime = timeEncoder(standard, ids, mask, repeats);
    const cells: string[] = [];
    shapes.forEach(({ slices, levels }, i) => {
      const slicedTime = timeEncoder(sliced[i], ids, mask, repeats);
      const line = {
        length, batch, hidden, cell: base.cell, bidirectional: base.bidirectional, slices, levels, backend, repeats,
        sequentialSteps: { standard: length, sliced: Math.ceil(length / slices ** levels) + levels * slices },
        standardCpuMs: Math.round(standardTime.cpuMs), slicedCpuMs: Math.round(slicedTime.cpuMs),
        standardWallMs: Math.round(standardTime.wallMs), slicedWallMs: Math.round(slicedTime.wallMs),
        speedup: Number((standardTime.cpuMs / slicedTime.cpuMs).toFixed(2)),
      };
      console.log(JSON.stringify(line));
      cells.push(`${line.slicedCpuMs.toLocaleString('en')} (**${line.speedup}×**, ${line.sequentialSteps.sliced} steps)`);
    });
    tf.dispose([ids, mask]);
    rows.push(`| ${length} | ${Math.round(standardTime.cpuMs).toLocaleString('en')} (${length} steps) | ${cells.join(' | ')} |`);
  }
  console.log([
    `| source length | standard, CPU ms | ${shapes.map(s => `SRNN(${s.slices}, ${s.levels}), CPU ms (speed-up)`).join(' | ')} |`,
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
