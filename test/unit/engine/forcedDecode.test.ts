/**
 * What-if (forced) decoding: the given prefix comes out as given, and the continuation equals
 * greedy decoding after feeding that prefix — computed a second way here, step by step with the
 * model's own decodeStep. Then through the engine's translate path (service.translateLines) on a
 * tiny trained run, and the request validation of main.ts.
 */
import { strict as assert } from 'assert';
import { execFileSync, fork } from 'child_process';
import { ResponseError } from 'vscode-jsonrpc';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { EngineErrorCode, HelloRequest, TranslateRequest } from '../../../src/shared/protocol';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { Seq2SeqModel } from '../../../src/engine/model/seq2seq';
import { BOS, EOS, sourceTensors } from '../../../src/engine/model/batch';
import { forcedDecode, greedyDecode } from '../../../src/engine/decode/decode';
import { DataError } from '../../../src/engine/data/errors';
import { loadRunModel, releaseModel, translateLines } from '../../../src/engine/inference';
import { trainRun } from '../../../src/engine/train/trainer';
import { encodeSource } from '../../../src/engine/train/dataset';
import type { Seq2SeqConfig } from '../../../src/shared/config';
import { tensorCount, tinyConfig, useTestBackend } from './helpers';

const VOCAB = 9;
const ROOT = path.join(__dirname, '..', '..', '..');

/** Reference: feed `prefix` (ignoring the model's choices), then argmax until </s> or maxLength. */
function stepByStep(model: Seq2SeqModel, source: number[], prefix: number[], maxLength: number): { ids: number[]; probabilities: number[] } {
  const ids: number[] = [];
  const probabilities: number[] = [];
  const { sourceIds, sourceMask } = sourceTensors([source]);
  const encoded = model.encode(sourceIds, sourceMask, false);
  let state = model.initialStepState(encoded);
  let previous = BOS;
  for (let t = 0; t < maxLength; t++) {
    const out = model.decodeStep(encoded, tf.tensor1d([previous], 'int32'), state, false);
    // <pad> and <s> are never produced (as in decode.ts).
    const logits = Array.from(out.logits.dataSync());
    logits[0] = -1e9;
    logits[1] = -1e9;
    const max = Math.max(...logits);
    const sum = logits.reduce((a, v) => a + Math.exp(v - max), 0);
    const choice = t < prefix.length ? prefix[t] : logits.indexOf(max);
    probabilities.push(Math.exp(logits[choice] - max) / sum);
    state = out.next;
    if (choice === EOS && t >= prefix.length) break;
    ids.push(choice);
    previous = choice;
  }
  return { ids, probabilities };
}

describe('forced (what-if) decoding', function () {
  this.timeout(300_000);
  before(useTestBackend);

  const variants: Array<Partial<Seq2SeqConfig>> = [
    { cell: 'lstm', attention: 'additive', inputFeeding: true },
    { cell: 'gru', attention: 'general', decoderLayers: 2 },
    { cell: 'rnn', attention: 'none' },
  ];
  for (const variant of variants) {
    it(`the prefix comes out as given and the rest is greedy from there (${JSON.stringify(variant)})`, () => {
      const model = new Seq2SeqModel(tinyConfig({ copyPrior: false, ...variant }), { sourceVocabSize: VOCAB, targetVocabSize: VOCAB }, 5);
      // Sharpen the output layer so greedy decoding does not stop at once.
      for (const [name, v] of model.params.entries()) if (name === 'output/W') v.assign(tf.mul(v, 4));
      try {
        const source = [4, 5, 6, 7];
        const maxLength = 8;
        const greedy = greedyDecode({ model }, [source], maxLength)[0];
        const before = tensorCount(); // after a first decode (backends cache a few tensors on first use)
        assert.deepEqual(forcedDecode({ model }, source, [], maxLength).ids, greedy.ids, 'an empty prefix is greedy decoding');
        for (const prefix of [[8], [4, 4], [7, 3, 6]]) {
          const forced = forcedDecode({ model }, source, prefix, maxLength);
          assert.deepEqual(forced.ids.slice(0, prefix.length), prefix, 'the forced tokens come out as given');
          const reference = tf.tidy(() => stepByStep(model, source, prefix, maxLength));
          assert.deepEqual(forced.ids, reference.ids, `continuation after ${prefix}`);
          forced.probabilities.forEach((p, i) => assert.ok(Math.abs(p - reference.probabilities[i]) < 1e-4, `p[${i}] ${p} vs ${reference.probabilities[i]}`));
          assert.equal(forced.attention.length, forced.probabilities.length);
          if (variant.attention !== 'none') for (const row of forced.attention) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4);
        }
        assert.equal(tensorCount(), before, 'no tensors left behind');
      } finally {
        model.dispose();
      }
    });
  }

  describe('through translate on a trained run', () => {
    let root: string;
    before(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 's2s-forced-'));
      await trainRun({
        runDir: path.join(root, 'run'), data: { task: 'reverse' }, backend: await useTestBackend(),
        config: { taskSize: 200, embeddingSize: 8, hiddenSize: 12, batchSize: 16, epochs: 1, evalSamples: 8, patience: 0, maxDecodeLength: 12, validFraction: 0.1, testFraction: 0.1, beamSize: 3 },
      });
    });
    after(() => {
      releaseModel();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('forcedPrefix: the tokens come first, the rest equals forcedDecode, attention per token', () => {
      const context = loadRunModel(path.join(root, 'run'));
      const [plain] = translateLines(context, ['abcd'], { beamSize: 1 });
      // Replace the first output token with another target token.
      const replacement = ['a', 'b', 'c', 'd'].find(t => t !== plain.tokens[0])!;
      const prefix = [replacement];
      const [whatIf] = translateLines(context, ['abcd'], { forcedPrefix: prefix, beamSize: 5 });
      assert.deepEqual(whatIf.tokens.slice(0, 1), prefix);
      assert.equal(whatIf.candidates.length, 1, 'one (greedy) continuation');
      assert.equal(whatIf.attention.length, whatIf.tokens.length);
      for (const row of whatIf.attention) assert.equal(row.length, whatIf.sourceTokens.length);
      // Forcing the greedy output's own tokens changes nothing.
      const [same] = translateLines(context, ['abcd'], { forcedPrefix: plain.tokens.slice(0, 2) });
      assert.deepEqual(same.tokens, plain.tokens);
      same.probabilities.forEach((p, i) => assert.ok(Math.abs(p - plain.probabilities[i]) < 1e-5));
      const ids = context.targetVocab.encode(prefix);
      const source = encodeSource(context.sourceTokenizer.tokenize('abcd'), context.sourceVocab, context.config);
      const reference = forcedDecode({ model: context.model, sourceToTarget: context.sourceToTarget }, source, ids, context.config.maxDecodeLength);
      assert.deepEqual(context.targetVocab.decode(reference.ids), whatIf.tokens);
    });

    it('engine/translate (the child process) validates forcedPrefix and decodes from it', async () => {
      execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--only=dist/engine'], { cwd: ROOT, stdio: 'inherit' });
      const child = fork(path.join(ROOT, 'dist', 'engine.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
      connection.listen();
      try {
        await connection.sendRequest(HelloRequest.type, { backend: 'auto' });
        const modelDir = path.join(root, 'run');
        const { translations: [plain] } = await connection.sendRequest(TranslateRequest.type, { modelDir, lines: ['abcd'], beamSize: 1 });
        const token = ['a', 'b', 'c', 'd'].find(t => t !== plain.tokens[0])!;
        const { translations: [forced] } = await connection.sendRequest(TranslateRequest.type, { modelDir, lines: ['abcd'], forcedPrefix: [token] });
        assert.equal(forced.tokens[0], token);
        const invalid = async (params: object, pattern: RegExp) => {
          const error = await connection.sendRequest(TranslateRequest.type, { modelDir, lines: ['abcd'], ...params } as TranslateRequest.Params).then(() => undefined, e => e);
          assert.ok(error instanceof ResponseError, `rejected: ${JSON.stringify(params)}`);
          assert.match(error.message, pattern);
          return error as ResponseError<unknown>;
        };
        assert.equal((await invalid({ forcedPrefix: 'a' }, /forcedPrefix must be an array/)).code, EngineErrorCode.InvalidParams);
        await invalid({ forcedPrefix: [''] }, /forcedPrefix must be an array of at most 1,000 non-empty token strings/);
        await invalid({ forcedPrefix: [1] }, /forcedPrefix/);
        await invalid({ forcedPrefix: ['a'], sampling: { samples: 2, temperature: 1, topK: 0, seed: 1 } }, /cannot be combined/);
        assert.equal((await invalid({ forcedPrefix: ['no-such-token'] }, /not in the model's target vocabulary/)).code, EngineErrorCode.BadData);
      } finally {
        connection.dispose();
        child.kill();
      }
    });

    it('a token outside the target vocabulary is a DataError', () => {
      const context = loadRunModel(path.join(root, 'run'));
      assert.throws(() => translateLines(context, ['abcd'], { forcedPrefix: ['no-such-token'] }), (e: unknown) => e instanceof DataError && /not in the model's target vocabulary/.test((e as Error).message));
      assert.throws(() => translateLines(context, ['abcd'], { forcedPrefix: ['</s>'] }), DataError);
    });
  });
});
