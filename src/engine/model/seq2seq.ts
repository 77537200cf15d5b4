/**
 * The encoder-decoder model.
 *
 * - Encoder: stacked RNN layers, optionally bidirectional (Schuster & Paliwal 1997); the
 *   source may be reversed upstream (Sutskever et al. 2014). Layers combine by none /
 *   residual / dense residual ("ResD", Britz et al. 2017), optionally highway-gated. Or sliced
 *   (Yu & Liu 2018, sliced.ts): the same stack over every slice of the source at once, then an
 *   RNN per level over the slices' last states.
 * - Bridge: decoder initial state tanh(W·[final encoder states] + b), or zeros.
 * - Decoder: stacked RNN layers; after the top layer, attention over the encoder states —
 *   additive (Bahdanau et al. 2015) or dot / general (Luong et al. 2015) — with the source
 *   padding masked; attentional vector h̃ = tanh(W_c·[context; h]) (Luong); optional input
 *   feeding of h̃ into the next step.
 * - Output: logits = h̃·W_o + b_o, plus the copy prior x⊙s + t (seed 001) where x marks target
 *   tokens present in the source.
 *
 * The other shapes (config `shape`, heads.ts) keep the parts they use: classify and tag the
 * encoder with a label head instead of the decoder; generate the decoder, started and fed by
 * a prompt vector instead of the encoder (no attention).
 *
 * The attention layer itself is in attention.ts. Over 400 lines on purpose: the shapes share
 * this one class's encoder, decoder and dropout sequence (the heads' own math is in heads.ts);
 * split, each part would need the others' private parameters. Two decoder paths compute the same thing:
 * `decodeParallel` runs each decoder layer over the whole target and attends for all steps at
 * once (used for teacher-forced training without input feeding — the fast path); `decodeStep`
 * runs one step at a time (scheduled sampling, input feeding, inference). A test checks they
 * agree.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ResolvedShape, Seq2SeqConfig } from '../../shared/config';
import { resolvedShape } from '../../shared/shapes';
import { AttentionLayer, type AttentionMemory } from './attention';
import { CellState, dense, RecurrentLayer } from './cells';
import { embeddingLookup } from './embedding';
import { LabelHead, pool, PromptEncoder } from './heads';
import { ParamStore } from './params';
import { paddingStepMasks } from './masks';
import { SlicedEncoder } from './sliced';
import type { OutputLayer } from '../train/loss';

export interface ModelShape {
  sourceVocabSize: number;
  targetVocabSize: number;
}

/** Tensors of one batch. The caller owns and disposes them. */
export interface BatchTensors {
  /** [batch, srcLen] int32, right-padded with 0 */
  sourceIds: tf.Tensor2D;
  /** [batch, srcLen] float 1/0 */
  sourceMask: tf.Tensor2D;
  /** [batch, tgtLen] int32: <s> y1 … y(n-1) */
  targetInput: tf.Tensor2D;
  /** [batch, tgtLen] int32: y1 … yn </s> */
  targetOutput: tf.Tensor2D;
  /** [batch, tgtLen] float 1/0 */
  targetMask: tf.Tensor2D;
  /** [batch, targetVocab] float 1/0: target tokens present in the source (copy prior only) */
  copyPresence?: tf.Tensor2D;
}

/** The memory and keys attention reads (attention.ts), and the decoder's start. */
export interface EncoderOutput extends AttentionMemory {
  /** one per decoder layer */
  initialStates: CellState[];
  copyPresence?: tf.Tensor2D;
}

export interface DecoderStepState {
  states: CellState[];
  /** [batch, hidden] previous attentional vector (input feeding) */
  feed?: tf.Tensor2D;
}

export interface StepOutput {
  /** [batch, targetVocab] */
  logits: tf.Tensor2D;
  /** [batch, srcLen] (zeros width 0 when no attention) */
  attention?: tf.Tensor2D;
  next: DecoderStepState;
}

interface StackParams {
  layers: RecurrentLayer[];
  /** highway gate [dim, dim] + bias per layer ≥ 1 */
  highway: Array<{ weight: tf.Variable; bias: tf.Variable } | undefined>;
}

export class Seq2SeqModel {
  readonly params: ParamStore;
  readonly memorySize: number;
  /** The RNN shape the model has (seed 002; `auto` in a config saved before the shapes is seq2seq). */
  readonly kind: ResolvedShape;
  private readonly sourceEmbedding: tf.Variable;
  /** Decoder parts: absent for classify and tag. */
  private readonly targetEmbedding?: tf.Variable;
  /** Encoder parts: absent for generate (the prompt encoder replaces them). */
  private readonly encoderForward?: StackParams;
  private readonly encoderBackward?: RecurrentLayer[];
  /** The levels above the slices (encoderType `sliced`). */
  private readonly sliced?: SlicedEncoder;
  private readonly decoderStack?: StackParams;
  private readonly bridgeH: Array<{ weight: tf.Variable; bias: tf.Variable }> = [];
  private readonly bridgeC: Array<{ weight: tf.Variable; bias: tf.Variable }> = [];
  private readonly attention?: AttentionLayer;
  private readonly outputWeight?: tf.Variable;
  private readonly outputBias?: tf.Variable;
  /** classify / tag: the dense layer to the labels. */
  readonly labelHead?: LabelHead;
  /** generate: the prompt's bag of embeddings → the decoder's start. */
  private readonly prompt?: PromptEncoder;
  private readonly copyScale?: tf.Variable;
  private readonly copyShift?: tf.Variable;
  /** Seeds dropout masks; set per training step so runs are reproducible and resumable. */
  private dropoutSeed = 0;

  constructor(readonly config: Seq2SeqConfig, readonly shape: ModelShape, seed = config.seed) {
    const c = config;
    const p = (this.params = new ParamStore(seed));
    const kind = (this.kind = resolvedShape(c.shape));
    const hidden = c.hiddenSize;
    const encoderHidden = c.encoderHiddenSize || hidden; // per direction
    const directions = c.bidirectional ? 2 : 1;
    const encoderWidth = kind === 'generate' ? hidden : encoderHidden * directions;
    this.memorySize = encoderWidth;
    const hasDecoder = kind === 'seq2seq' || kind === 'generate';

    this.sourceEmbedding = p.uniform('source/embedding', [shape.sourceVocabSize, c.embeddingSize], -0.1, 0.1);
    if (hasDecoder) this.targetEmbedding = p.uniform('target/embedding', [shape.targetVocabSize, c.embeddingSize], -0.1, 0.1);

    if (kind === 'generate') this.prompt = new PromptEncoder(p, c.embeddingSize, hidden);
    else {
      const encoderLayers: RecurrentLayer[] = [];
      const backward: RecurrentLayer[] = [];
      for (let l = 0; l < c.encoderLayers; l++) {
        const inputSize = l === 0 ? c.embeddingSize : encoderWidth;
        encoderLayers.push(new RecurrentLayer(p, `encoder/${l}/fw`, c.cell, inputSize, encoderHidden));
        if (c.bidirectional) backward.push(new RecurrentLayer(p, `encoder/${l}/bw`, c.cell, inputSize, encoderHidden));
      }
      this.encoderForward = { layers: encoderLayers, highway: this.highwayParams('encoder', c.encoderLayers, encoderWidth) };
      if (c.bidirectional) this.encoderBackward = backward;
      if (c.encoderType === 'sliced') this.sliced = new SlicedEncoder(p, c, encoderWidth);
    }

    if (kind === 'classify' || kind === 'tag') {
      this.labelHead = new LabelHead(p, kind, encoderWidth, shape.targetVocabSize);
      return;
    }

    const decoderLayers: RecurrentLayer[] = [];
    for (let l = 0; l < c.decoderLayers; l++) {
      // generate: the prompt vector joins every step's input.
      const inputSize = l === 0 ? c.embeddingSize + (c.inputFeeding ? hidden : 0) + (kind === 'generate' ? hidden : 0) : hidden;
      decoderLayers.push(new RecurrentLayer(p, `decoder/${l}`, c.cell, inputSize, hidden));
    }
    this.decoderStack = { layers: decoderLayers, highway: this.highwayParams('decoder', c.decoderLayers, hidden) };

    if (c.bridge === 'dense' && kind === 'seq2seq') {
      for (let l = 0; l < c.decoderLayers; l++) {
        this.bridgeH.push({ weight: p.matrix(`bridge/${l}/h/W`, encoderWidth, hidden), bias: p.vector(`bridge/${l}/h/b`, hidden) });
        if (c.cell === 'lstm') this.bridgeC.push({ weight: p.matrix(`bridge/${l}/c/W`, encoderWidth, hidden), bias: p.vector(`bridge/${l}/c/b`, hidden) });
      }
    }

    if (c.attention !== 'none' && kind === 'seq2seq') this.attention = new AttentionLayer(p, c.attention, encoderWidth, hidden, c.attentionSize || hidden);

    this.outputWeight = p.matrix('output/W', hidden, shape.targetVocabSize);
    this.outputBias = p.vector('output/b', shape.targetVocabSize);
    if (c.copyPrior) {
      this.copyScale = p.vector('copy/scale', shape.targetVocabSize, 0);
      this.copyShift = p.vector('copy/shift', shape.targetVocabSize, 0);
    }
  }

  /** The decoder stack; an Error for the shapes without one. */
  private get decoder(): StackParams {
    if (!this.decoderStack) throw new Error(`shape ${this.kind} has no decoder`);
    return this.decoderStack;
  }

  private highwayParams(prefix: string, layers: number, width: number): StackParams['highway'] {
    const gates: StackParams['highway'] = [undefined];
    for (let l = 1; l < layers; l++) {
      gates.push(this.config.highway
        ? { weight: this.params.matrix(`${prefix}/${l}/highway/W`, width, width), bias: this.params.vector(`${prefix}/${l}/highway/b`, width, -1) }
        : undefined);
    }
    return gates;
  }

  /** Seeds the dropout masks of the next forward pass (one seed per training step). */
  setDropoutSeed(seed: number): void {
    this.dropoutSeed = seed * 7919;
  }

  /** Where the dropout masks are in their seeded sequence: set it back to replay the same masks (adversarial training's second pass). */
  get dropoutPosition(): number {
    return this.dropoutSeed;
  }

  set dropoutPosition(position: number) {
    this.dropoutSeed = position;
  }

  private dropout(x: tf.Tensor, training: boolean): tf.Tensor {
    if (!training || this.config.dropout <= 0) return x;
    return tf.dropout(x, this.config.dropout, undefined, ++this.dropoutSeed);
  }

  /**
   * Combines layer l's output with what came before: highway gate, then residual / dense.
   * `inputs[l]` is layer l's input; `outputs` holds every layer's (gated) output so far.
   */
  private combine(stack: StackParams, l: number, layerInput: tf.Tensor, layerOutput: tf.Tensor, outputs: tf.Tensor[]): tf.Tensor {
    let y = layerOutput;
    const gate = stack.highway[l];
    if (gate) {
      const g = tf.sigmoid(dense(layerInput, gate.weight as tf.Tensor2D, gate.bias as tf.Tensor1D));
      y = tf.add(tf.mul(g, y), tf.mul(tf.sub(1, g), layerInput));
    }
    outputs.push(y);
    if (l === 0 || this.config.residual === 'none') return y;
    if (this.config.residual === 'residual') return tf.add(y, layerInput);
    return tf.addN(outputs); // dense: the sum of every layer's output so far
  }

  /**
   * The encoder over a batch: its outputs at every source position and the final states of
   * each layer (the top level's only, for the sliced encoder). `embeddingOffset`
   * [batch, srcLen, emb] is added to the looked-up source embeddings (adversarial training).
   */
  private encodeStates(sourceIds: tf.Tensor2D, sourceMask: tf.Tensor2D, training: boolean, embeddingOffset?: tf.Tensor3D): { memory: tf.Tensor3D; finals: CellState[] } {
    const c = this.config;
    const encoder = this.encoderForward;
    if (!encoder) throw new Error(`shape ${this.kind} has no source encoder`);
    const [batch, sourceLength] = sourceIds.shape;
    let x = embeddingLookup(this.sourceEmbedding as tf.Tensor2D, sourceIds) as tf.Tensor3D; // [batch, srcLen, emb]
    if (embeddingOffset) x = tf.add(x, embeddingOffset);
    x = this.dropout(x, training) as tf.Tensor3D;
    // Sliced encoder: the stack below runs over every slice of every sentence as one batch.
    const sliced = this.sliced?.slice(x, sourceMask);
    const lowest = sliced ?? { x, mask: sourceMask }; // [rows, len, emb]
    x = lowest.x;
    const stepMasks = paddingStepMasks(lowest.mask);
    const rows = x.shape[0];
    const outputs: tf.Tensor[] = [];
    let finals: CellState[] = [];
    for (let l = 0; l < c.encoderLayers; l++) {
      const forward = encoder.layers[l];
      const fw = forward.run(x, forward.zeroState(rows), stepMasks, false);
      let y: tf.Tensor3D = fw.outputs; // [rows, len, hidden]
      let final = fw.final;
      if (this.encoderBackward) {
        const backwardLayer = this.encoderBackward[l];
        const bw = backwardLayer.run(x, backwardLayer.zeroState(rows), stepMasks, true);
        y = tf.concat([fw.outputs, bw.outputs], 2); // [rows, len, 2·hidden]
        final = {
          h: tf.concat([fw.final.h, bw.final.h], 1),
          c: fw.final.c && bw.final.c ? tf.concat([fw.final.c, bw.final.c], 1) : undefined,
        };
      }
      finals.push(final);
      y = this.dropout(y, training && l < c.encoderLayers - 1) as tf.Tensor3D;
      x = this.combine(encoder, l, x, y, outputs) as tf.Tensor3D;
    }
    if (this.sliced && sliced) {
      x = this.sliced.unslice(x, sliced, batch, sourceLength);
      finals = [this.sliced.summarize(finals[finals.length - 1].h, lowest.mask)]; // the top level starts every decoder layer
    }
    return { memory: x, finals }; // memory [batch, srcLen, memorySize]
  }

  /**
   * Encodes a batch: memory for attention and the decoder's initial states. `embeddingOffset`
   * [batch, srcLen, emb] is added to the looked-up source embeddings (adversarial training).
   * generate: the prompt vector p [batch, hidden] is the memory ([batch, 1, hidden]) and every
   * decoder layer's initial state.
   */
  encode(sourceIds: tf.Tensor2D, sourceMask: tf.Tensor2D, training: boolean, copyPresence?: tf.Tensor2D, embeddingOffset?: tf.Tensor3D): EncoderOutput {
    const c = this.config;
    const batch = sourceIds.shape[0];
    if (this.prompt) {
      let x = embeddingLookup(this.sourceEmbedding as tf.Tensor2D, sourceIds) as tf.Tensor3D; // [batch, promptLen, emb]
      if (embeddingOffset) x = tf.add(x, embeddingOffset);
      const prompt = this.dropout(this.prompt.encode(this.dropout(x, training) as tf.Tensor3D, sourceMask), training) as tf.Tensor2D; // [batch, hidden]
      const initialStates = this.decoder.layers.map(() => (c.cell === 'lstm' ? { h: prompt, c: prompt } : { h: prompt }));
      return { memory: tf.expandDims(prompt, 1) as tf.Tensor3D, sourceMask, initialStates, copyPresence }; // memory [batch, 1, hidden]
    }
    const { memory, finals } = this.encodeStates(sourceIds, sourceMask, training, embeddingOffset);

    const initialStates: CellState[] = [];
    for (let l = 0; l < c.decoderLayers; l++) {
      const source = finals[Math.min(l, finals.length - 1)];
      if (c.bridge === 'dense') {
        const h = tf.tanh(dense(source.h, this.bridgeH[l].weight as tf.Tensor2D, this.bridgeH[l].bias as tf.Tensor1D)) as tf.Tensor2D;
        const cc = c.cell === 'lstm'
          ? tf.tanh(dense(source.c!, this.bridgeC[l].weight as tf.Tensor2D, this.bridgeC[l].bias as tf.Tensor1D)) as tf.Tensor2D
          : undefined;
        initialStates.push(cc ? { h, c: cc } : { h });
      } else {
        initialStates.push(this.decoder.layers[l].zeroState(batch));
      }
    }

    const keys = this.attention?.keys(memory); // [batch, srcLen, key]
    return { memory, keys, sourceMask, initialStates, copyPresence };
  }

  /**
   * classify and tag: label logits read off the encoder. classify: [batch, labels] from the
   * pooled encoder (config classifyPooling); tag: [batch·srcLen, labels], one row per source
   * position (row-major over (batch, position); padded rows are for the caller to mask).
   */
  labelLogits(sourceIds: tf.Tensor2D, sourceMask: tf.Tensor2D, training: boolean, embeddingOffset?: tf.Tensor3D): tf.Tensor2D {
    const head = this.labelHead;
    if (!head) throw new Error(`shape ${this.kind} has no label head`);
    const { memory, finals } = this.encodeStates(sourceIds, sourceMask, training, embeddingOffset);
    if (this.kind === 'tag') {
      const [batch, sourceLength, width] = memory.shape;
      const rows = tf.reshape(this.dropout(memory, training), [batch * sourceLength, width]) as tf.Tensor2D; // [batch·srcLen, memorySize]
      return head.logits(rows); // [batch·srcLen, labels]
    }
    const pooled = pool(memory, sourceMask, finals[finals.length - 1].h, this.config.classifyPooling); // [batch, memorySize]
    return head.logits(this.dropout(pooled, training) as tf.Tensor2D); // [batch, labels]
  }

  /** h̃ (attention.ts) or h itself without attention; then dropout. */
  private attentional(encoded: EncoderOutput, top: tf.Tensor3D, training: boolean): { vector: tf.Tensor3D; weights?: tf.Tensor3D } {
    if (!this.attention) return { vector: this.dropout(top, training) as tf.Tensor3D };
    const { vector, weights } = this.attention.attentional(encoded, top);
    return { vector: this.dropout(vector, training) as tf.Tensor3D, weights };
  }

  /** logits [n, vocab] from attentional vectors [n, hidden]; presence [n, vocab] for the copy prior. */
  private project(vectors: tf.Tensor2D, presence?: tf.Tensor2D): tf.Tensor2D {
    let logits = dense(vectors, this.outputWeight! as tf.Tensor2D, this.outputBias! as tf.Tensor1D) as tf.Tensor2D;
    if (this.copyScale && this.copyShift) {
      if (!presence) throw new Error('copy prior needs the source presence vector');
      logits = tf.add(logits, tf.add(tf.mul(presence, this.copyScale), this.copyShift)); // + s⊙x + t
    }
    return logits;
  }

  /** Target embeddings of `ids` plus an optional offset (adversarial training), then dropout. */
  private embedTarget(ids: tf.Tensor, training: boolean, offset?: tf.Tensor): tf.Tensor {
    if (!this.targetEmbedding) throw new Error(`shape ${this.kind} has no decoder`);
    const x = embeddingLookup(this.targetEmbedding as tf.Tensor2D, ids);
    return this.dropout(offset ? tf.add(x, offset) : x, training);
  }

  /**
   * Teacher-forced decoding of the whole target at once. Returns logits [batch·tgtLen, vocab].
   * `embeddingOffset` [batch, tgtLen, emb] is added to the input embeddings (adversarial training).
   */
  decodeParallel(encoded: EncoderOutput, targetInput: tf.Tensor2D, training: boolean, embeddingOffset?: tf.Tensor3D): { logits: tf.Tensor2D; attention?: tf.Tensor3D } {
    const { vectors, output, attention } = this.decodeParallelVectors(encoded, targetInput, training, embeddingOffset);
    return { logits: this.project(vectors, output.copy?.presence), attention };
  }

  /**
   * decodeParallel up to the output layer: the attentional vectors [batch·tgtLen, hidden] and
   * the output layer's tensors, for a loss that projects them itself (train/loss.ts
   * projectedCrossEntropy: the [batch·tgtLen, vocab] logits are never all alive at once).
   */
  decodeParallelVectors(encoded: EncoderOutput, targetInput: tf.Tensor2D, training: boolean, embeddingOffset?: tf.Tensor3D): { vectors: tf.Tensor2D; output: OutputLayer; attention?: tf.Tensor3D } {
    if (this.config.inputFeeding) throw new Error('decodeParallel cannot feed attentional vectors; use decodeStep');
    const [batch, targetLength] = targetInput.shape;
    let x = this.embedTarget(targetInput, training, embeddingOffset) as tf.Tensor3D; // [batch, tgtLen, emb]
    if (this.prompt) x = tf.concat([x, tf.tile(encoded.memory, [1, targetLength, 1])], 2); // generate: + prompt [batch, tgtLen, emb + hidden]
    const outputs: tf.Tensor[] = [];
    this.decoder.layers.forEach((layer, l) => {
      const y = layer.run(x, encoded.initialStates[l], undefined, false).outputs; // [batch, tgtLen, hidden]
      const dropped = this.dropout(y, training && l < this.decoder.layers.length - 1) as tf.Tensor3D;
      x = this.combine(this.decoder, l, x, dropped, outputs) as tf.Tensor3D;
    });
    const { vector, weights } = this.attentional(encoded, x, training); // [batch, tgtLen, hidden]
    const flat = tf.reshape(vector, [batch * targetLength, -1]) as tf.Tensor2D;
    const presence = encoded.copyPresence
      ? tf.reshape(tf.tile(tf.expandDims(encoded.copyPresence, 1), [1, targetLength, 1]), [batch * targetLength, -1]) as tf.Tensor2D
      : undefined;
    if (this.copyScale && !presence) throw new Error('copy prior needs the source presence vector');
    const output: OutputLayer = { weight: this.outputWeight! as tf.Tensor2D, bias: this.outputBias! as tf.Tensor1D };
    if (this.copyScale && this.copyShift && presence) output.copy = { presence, scale: this.copyScale as tf.Tensor1D, shift: this.copyShift as tf.Tensor1D };
    return { vectors: flat, output, attention: weights };
  }

  /** The decoder state before the first step. */
  initialStepState(encoded: EncoderOutput): DecoderStepState {
    const batch = encoded.memory.shape[0];
    return {
      states: encoded.initialStates,
      feed: this.config.inputFeeding ? tf.zeros([batch, this.config.hiddenSize]) as tf.Tensor2D : undefined,
    };
  }

  /** One decoder step from the previous tokens [batch] int32 (`embeddingOffset` [batch, emb]: see decodeParallel). */
  decodeStep(encoded: EncoderOutput, previous: tf.Tensor1D, state: DecoderStepState, training: boolean, embeddingOffset?: tf.Tensor2D): StepOutput {
    let x = this.embedTarget(previous, training, embeddingOffset) as tf.Tensor2D; // [batch, emb]
    if (state.feed) x = tf.concat([x, state.feed], 1); // [batch, emb + hidden]
    if (this.prompt) x = tf.concat([x, tf.squeeze(encoded.memory, [1]) as tf.Tensor2D], 1); // generate: + prompt [batch, emb + hidden]
    const outputs: tf.Tensor[] = [];
    const states: CellState[] = [];
    this.decoder.layers.forEach((layer, l) => {
      const next = layer.step(layer.projectStep(x), state.states[l]);
      states.push(next);
      const dropped = this.dropout(next.h, training && l < this.decoder.layers.length - 1) as tf.Tensor2D;
      x = this.combine(this.decoder, l, x, dropped, outputs) as tf.Tensor2D;
    });
    const top = tf.expandDims(x, 1) as tf.Tensor3D; // [batch, 1, hidden]
    const { vector, weights } = this.attentional(encoded, top, training);
    const attentional = tf.squeeze(vector, [1]) as tf.Tensor2D; // [batch, hidden]
    return {
      logits: this.project(attentional, encoded.copyPresence),
      attention: weights ? tf.squeeze(weights, [1]) as tf.Tensor2D : undefined,
      next: { states, feed: this.config.inputFeeding ? attentional : undefined },
    };
  }

  /** Both embedding tables, e.g. to count parameters. */
  dispose(): void {
    this.params.dispose();
  }
}
