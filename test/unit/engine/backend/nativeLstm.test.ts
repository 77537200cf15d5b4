/**
 * The native LSTM layer (native/lstm.c through backend/nativeLstm.ts) against the tfjs path of
 * model/fusedRecurrence.ts on the same inputs: the same outputs and the same gradient of every
 * input, with and without padding masks, in both directions, gate-scaled (training) or not
 * (inference); operands outside the heap are refused; nothing is left behind. The tfjs path
 * itself is checked against autodiff over per-step ops (fused.test.ts) and numeric gradients
 * (gradients.test.ts), which run through the native kernels wherever they are registered.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs-core';
import { loadNativeBlas } from '../../../../src/engine/backend/nativeMatMul';
import { nativeLstmInUse, setNativeLstm, type NativeLstm } from '../../../../src/engine/backend/nativeLstm';
import { lstmGateScale, runRecurrence, type RecurrenceSpec } from '../../../../src/engine/model/fusedRecurrence';
import { useTestBackend } from '../helpers';

const values = (n: number, phase: number, scale = 1) => Float32Array.from({ length: n }, (_, i) => scale * Math.sin(i * 0.731 + phase));

interface Case { time: number; batch: number; hidden: number; reverse: boolean; padded: boolean }

/**
 * y, and the gradients of Σ w ⊙ y with respect to the unscaled xp, u and h0, c0, on the path
 * chosen. `scaling` 'inputs': xp and u are gate-scaled before the recurrence (the tfjs path's
 * requirement under a tape); 'kernel': passed as they are (the native kernel scales z_g itself).
 */
function run(c: Case, native: boolean, scaling: 'inputs' | 'kernel', taped = true): { y: Float32Array; grads: Float32Array[] } {
  const was = setNativeLstm(native);
  try {
    return tf.tidy(() => {
      const G = 4 * c.hidden;
      const scale = lstmGateScale(c.hidden);
      const xp0 = tf.tensor2d(values(c.time * c.batch * G, 0.1), [c.time * c.batch, G]);
      const u0 = tf.tensor2d(values(c.hidden * G, 0.7, 0.4), [c.hidden, G]);
      const h0 = tf.tensor2d(values(c.batch * c.hidden, 1.3, 0.5), [c.batch, c.hidden]);
      const c0 = tf.tensor2d(values(c.batch * c.hidden, 2.1, 0.5), [c.batch, c.hidden]);
      // Row 0 is padded after step 1 (a shorter sequence); the other rows are full.
      const masks = c.padded ? Array.from({ length: c.time }, (_, t) => (t >= 2 ? tf.tensor2d(Array.from({ length: c.batch }, (_, b) => (b === 0 ? 0 : 1)), [c.batch, 1]) : undefined)) : undefined;
      const spec: RecurrenceSpec = { cell: 'lstm', time: c.time, batch: c.batch, hidden: c.hidden, reverse: c.reverse, masks, gateScaled: scaling === 'inputs' };
      const weights = tf.tensor2d(values((c.time + 1) * c.batch * c.hidden, 3.3), [(c.time + 1) * c.batch, c.hidden]);
      const recurrence = (xp: tf.Tensor, u: tf.Tensor, h: tf.Tensor, cc: tf.Tensor) => runRecurrence(spec, {
        xp: (scaling === 'inputs' ? tf.mul(xp, scale) : xp) as tf.Tensor2D, u: scaling === 'inputs' ? tf.mul(u, scale) : u, h0: h as tf.Tensor2D, c0: cc as tf.Tensor2D,
      });
      const y = recurrence(xp0, u0, h0, c0);
      if (!taped) return { y: y.dataSync() as Float32Array, grads: [] };
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor, e: tf.Tensor) => tf.sum(tf.mul(recurrence(a, b, d, e), weights)))([xp0, u0, h0, c0]);
      return { y: y.dataSync() as Float32Array, grads: grads.map(g => g.dataSync() as Float32Array) };
    });
  } finally {
    setNativeLstm(was);
  }
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, what);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  assert.ok(scale > 0, `${what}: the reference is all zeros, so the comparison would prove nothing`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 2e-5 + 2e-4 * scale, `${what}[${i}]: tfjs ${expected[i]} vs native ${actual[i]}`);
  }
}

describe('native LSTM layer', function () {
  this.timeout(120000);
  const native = loadNativeBlas();

  before(async function () {
    await useTestBackend();
    if (!nativeLstmInUse()) {
      // The kernel is built with the native matmul kernel and needs OpenBLAS (apt-get install libopenblas-dev) at npm install time.
      console.log(`      skipped: native LSTM kernels not in use on the ${tf.getBackend()} backend (${native.problem ?? 'SEQ2SEQ_NATIVE_LSTM=0 or an older build'})`);
      this.skip();
    }
  });

  const cases: Case[] = [
    { time: 1, batch: 1, hidden: 3, reverse: false, padded: false },
    { time: 5, batch: 3, hidden: 8, reverse: false, padded: false },
    { time: 5, batch: 3, hidden: 8, reverse: true, padded: false },
    { time: 6, batch: 4, hidden: 9, reverse: false, padded: true },
    { time: 6, batch: 4, hidden: 9, reverse: true, padded: true },
    { time: 4, batch: 2, hidden: 20, reverse: false, padded: true },
  ];
  for (const c of cases) {
    it(`T=${c.time} B=${c.batch} H=${c.hidden}${c.reverse ? ', reversed' : ''}${c.padded ? ', padded rows' : ''}: outputs and gradients equal the tfjs path`, () => {
      const reference = run(c, false, 'inputs');
      for (const scaling of ['inputs', 'kernel'] as const) {
        const actual = run(c, true, scaling);
        assertClose(actual.y, reference.y, `y (${scaling} scale the g gate)`);
        ['dxp', 'du', 'dh0', 'dc0'].forEach((name, i) => assertClose(actual.grads[i], reference.grads[i], `${name} (${scaling} scale the g gate)`));
      }
      // Without a tape (inference).
      assertClose(run(c, true, 'kernel', false).y, run(c, false, 'kernel', false).y, 'y (inference)');
    });
  }

  it('runs as two native kernels, not the per-step tfjs ops', async () => {
    const c = { time: 5, batch: 3, hidden: 8, reverse: false, padded: true };
    const native = await tf.profile(() => { run(c, true, 'inputs'); });
    assert.ok(native.kernelNames.includes('Seq2SeqNativeLstmForward') && native.kernelNames.includes('Seq2SeqNativeLstmBackward'), native.kernelNames.join(', '));
    assert.ok(!native.kernelNames.includes('Sigmoid'), 'no per-step sigmoid on the native path');
    const tfjs = await tf.profile(() => { run(c, false, 'inputs'); });
    assert.ok(tfjs.kernelNames.includes('Sigmoid') && !tfjs.kernelNames.includes('Seq2SeqNativeLstmForward'));
  });

  it('padding keeps the state: a padded row ends where its last real step left it', () => {
    const c = { time: 6, batch: 4, hidden: 9, reverse: false, padded: true };
    const { y } = run(c, true, 'kernel');
    const H = c.hidden;
    // Row 0 (padded from step 2 on): h after step 5 equals h after step 1.
    for (let j = 0; j < H; j++) assert.equal(y[(5 * c.batch) * H + j], y[(1 * c.batch) * H + j]);
    // Row 1 (real throughout) moves.
    assert.notEqual(y[(5 * c.batch + 1) * H], y[(1 * c.batch + 1) * H]);
  });

  it('refuses operands outside the heap', () => {
    const blas = native.blas as unknown as NativeLstm;
    const heap = new ArrayBuffer(4 * 1000);
    // T=2, B=2, H=4: xp needs 64 floats at 990.
    assert.throws(() => blas.lstmForward(heap, 2, 2, 4, 0, 1, 990, 0, 0, 0, -1, 0, -1, -1), /outside the heap/);
    assert.throws(() => blas.lstmForward(heap, 0, 2, 4, 0, 1, 0, 0, 0, 0, -1, 0, -1, -1), /not positive/);
    assert.throws(() => blas.lstmBackward(heap, 2, 2, 4, 0, 1, 0, -1, 0, 0, 0, 0, 0, 0, 995), /outside the heap/);
    assert.throws(() => blas.lstmForward(new SharedArrayBuffer(4000) as unknown as ArrayBuffer, 1, 1, 1, 0, 1, 0, 0, 0, 0, -1, 0, -1, -1), /ArrayBuffer/);
  });

  it('leaves no tensors behind', () => {
    const c = { time: 5, batch: 3, hidden: 8, reverse: false, padded: true };
    run(c, true, 'kernel');
    const before = tf.memory().numTensors;
    run(c, true, 'inputs');
    run(c, true, 'kernel');
    run(c, true, 'kernel', false);
    assert.equal(tf.memory().numTensors, before);
  });
});
