/**
 * Checkpoint files: one self-checking file per checkpoint, written atomically.
 *
 * Layout: 8-byte magic "S2SCKPT1", uint32 LE header length, UTF-8 JSON header, then the
 * float32 LE payload of every tensor back to back. The header records each tensor's name,
 * shape and offset, the training state, and the payload's SHA-256, so a truncated or
 * corrupted file is detected on load and reported with its path — never half-loaded.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '../../shared/io/atomic';
import type { Seq2SeqModel } from '../model/seq2seq';
import type { Optimizer } from './optimizer';

const MAGIC = Buffer.from('S2SCKPT1', 'ascii');

/** Everything besides tensors that exact resume needs. */
export interface TrainingState {
  /** optimisation steps done */
  step: number;
  /** epoch in progress (0-based) */
  epoch: number;
  /** batches of `epoch` already done */
  batchInEpoch: number;
  optimizerIterations: number;
  /** best validation value so far of config.earlyStoppingMetric, and its step */
  best: { value: number; step: number } | null;
  evaluationsWithoutImprovement: number;
  /** the early-stopping metric's first value, and whether it has moved since (patience counts only then) */
  firstValue?: number;
  metricMoved?: boolean;
  /** the value patience last restarted at (an improvement must beat it clearly; see trainer.ts) */
  patienceReference?: number;
  /** plateau decay: the product of the cuts so far (1 = none), and evaluations since the last clear improvement or cut */
  learningRateScale?: number;
  evaluationsOnPlateau?: number;
  /** training seconds so far, across resumes */
  elapsedSeconds: number;
  /** target tokens trained on so far */
  targetTokens: number;
}

interface TensorEntry {
  name: string;
  shape: number[];
  /** offset in float32 elements from the payload start */
  offset: number;
  size: number;
}

interface Header {
  format: 1;
  createdAt: string;
  tensors: TensorEntry[];
  payloadBytes: number;
  sha256: string;
  state: TrainingState;
}

export class CheckpointError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
  }
}

export interface Checkpoint {
  state: TrainingState;
  tensors: Map<string, tf.Tensor>;
}

/** Serialises tensors + state and writes them atomically (temp file, fsync, rename). */
export function saveCheckpoint(file: string, tensors: Array<[string, tf.Tensor]>, state: TrainingState): void {
  const entries: TensorEntry[] = [];
  let offset = 0;
  const chunks: Float32Array[] = [];
  for (const [name, tensor] of tensors) {
    const data = tensor.dataSync() as Float32Array;
    entries.push({ name, shape: tensor.shape.slice(), offset, size: data.length });
    chunks.push(data);
    offset += data.length;
  }
  const payload = Buffer.alloc(offset * 4);
  let position = 0;
  for (const chunk of chunks) {
    Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).copy(payload, position);
    position += chunk.byteLength;
  }
  const header: Header = {
    format: 1,
    createdAt: new Date().toISOString(),
    tensors: entries,
    payloadBytes: payload.length,
    sha256: createHash('sha256').update(payload).digest('hex'),
    state,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length, 0);
  writeFileAtomic(file, Buffer.concat([MAGIC, length, headerBytes, payload]));
}

/** Reads and verifies a checkpoint; throws CheckpointError naming the file and the problem. */
export function loadCheckpoint(file: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CheckpointError(file, code === 'ENOENT' ? 'checkpoint not found' : `cannot read checkpoint (${code ?? (error as Error).message})`);
  }
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(MAGIC)) throw new CheckpointError(file, 'not a Seq2Seq Lab checkpoint (bad magic bytes)');
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > bytes.length) throw new CheckpointError(file, 'truncated checkpoint (header cut off)');
  let header: Header;
  try {
    header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as Header;
  } catch {
    throw new CheckpointError(file, 'corrupt checkpoint header (invalid JSON)');
  }
  if (header.format !== 1 || !Array.isArray(header.tensors) || typeof header.sha256 !== 'string' || !header.state) {
    throw new CheckpointError(file, 'corrupt checkpoint header (missing fields or unknown format)');
  }
  const payload = bytes.subarray(12 + headerLength);
  if (payload.length !== header.payloadBytes) {
    throw new CheckpointError(file, `truncated checkpoint (payload ${payload.length} of ${header.payloadBytes} bytes)`);
  }
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) {
    throw new CheckpointError(file, 'corrupt checkpoint (checksum mismatch)');
  }
  // Copy into an aligned buffer: the payload's offset in the file need not be a multiple of 4.
  const floats = new Float32Array(payload.length / 4);
  Buffer.from(floats.buffer).set(payload);
  const tensors = new Map<string, tf.Tensor>();
  for (const entry of header.tensors) {
    const expected = entry.shape.reduce((a, b) => a * b, 1);
    if (expected !== entry.size || entry.offset + entry.size > floats.length) {
      tensors.forEach(t => t.dispose());
      throw new CheckpointError(file, `corrupt checkpoint (tensor ${entry.name} does not fit its shape)`);
    }
    tensors.set(entry.name, tf.tensor(floats.subarray(entry.offset, entry.offset + entry.size), entry.shape));
  }
  return { state: header.state, tensors };
}

/** The training state of a checkpoint without loading its tensors (header only). */
export function readCheckpointState(file: string): TrainingState {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CheckpointError(file, code === 'ENOENT' ? 'checkpoint not found' : `cannot read checkpoint (${code ?? (error as Error).message})`);
  }
  try {
    const prefix = Buffer.alloc(12);
    if (fs.readSync(fd, prefix, 0, 12, 0) < 12 || !prefix.subarray(0, 8).equals(MAGIC)) throw new CheckpointError(file, 'not a Seq2Seq Lab checkpoint (bad magic bytes)');
    const headerLength = prefix.readUInt32LE(8);
    const headerBytes = Buffer.alloc(headerLength);
    if (fs.readSync(fd, headerBytes, 0, headerLength, 12) < headerLength) throw new CheckpointError(file, 'truncated checkpoint (header cut off)');
    let header: Header;
    try {
      header = JSON.parse(headerBytes.toString('utf8')) as Header;
    } catch {
      throw new CheckpointError(file, 'corrupt checkpoint header (invalid JSON)');
    }
    if (header.format !== 1 || !header.state) throw new CheckpointError(file, 'corrupt checkpoint header (missing fields or unknown format)');
    return header.state;
  } finally {
    fs.closeSync(fd);
  }
}

/** The model's parameters (and the optimizer's state, when given) under their checkpoint names. */
export function checkpointTensors(model: Seq2SeqModel, optimizer?: Optimizer): Array<[string, tf.Tensor]> {
  const list: Array<[string, tf.Tensor]> = model.params.entries().map(([n, v]) => [`param:${n}`, v]);
  if (optimizer) optimizer.stateTensors().forEach(([n, t]) => list.push([`optimizer:${n}`, t]));
  return list;
}

/** The optimizer's part of a loaded checkpoint, under the optimizer's own names. */
export function optimizerTensors(tensors: Map<string, tf.Tensor>): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, tensor] of tensors) if (name.startsWith('optimizer:')) out.set(name.slice('optimizer:'.length), tensor);
  return out;
}

/** Copies a loaded checkpoint's parameters into `model`; a missing or misshapen one is a CheckpointError naming `file`. */
export function applyCheckpointToModel(model: Seq2SeqModel, tensors: Map<string, tf.Tensor>, file: string): void {
  for (const [name, variable] of model.params.entries()) {
    const saved = tensors.get(`param:${name}`);
    if (!saved) throw new CheckpointError(file, `parameter ${name} is missing (checkpoint of a different model?)`);
    if (saved.shape.join(',') !== variable.shape.join(',')) throw new CheckpointError(file, `parameter ${name} has shape [${saved.shape}], the model expects [${variable.shape}]`);
    variable.assign(saved);
  }
}
