/**
 * The native matmul kernel (native/blas.c through backend/nativeMatMul.ts) and the Sum that
 * rides on it (backend/wasmReductions.ts): the same products and sums as the cpu backend for
 * every transpose flag, batch broadcasting and rank; operands outside the heap are refused;
 * SEQ2SEQ_NATIVE_BLAS=0 falls back to tfjs's kernel and says so. Also the WASM row gather
 * (backend/wasmSlice.ts), which needs no native code.
 */
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { matMulKernel } from '../../../../src/engine/backend';
import { loadNativeBlas } from '../../../../src/engine/backend/nativeMatMul';
import { reductionBlock } from '../../../../src/engine/backend/wasmReductions';
import { useTestBackend } from '../helpers';

const values = (shape: number[], phase: number) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 1.37 + phase));

/** op on the backend in use and on the cpu backend, same inputs; the largest difference. */
async function differenceToCpu(op: (...xs: tf.Tensor[]) => tf.Tensor, shapes: number[][]): Promise<{ diff: number; shape: number[]; reference: number[] }> {
  const backend = tf.getBackend();
  const inputs = shapes.map((s, i) => values(s, i));
  await tf.setBackend('cpu');
  const expected = tf.tidy(() => op(...inputs.map((v, i) => tf.tensor(v, shapes[i]))));
  const reference = expected.shape;
  const want = expected.dataSync();
  expected.dispose();
  await tf.setBackend(backend);
  const got = tf.tidy(() => op(...inputs.map((v, i) => tf.tensor(v, shapes[i]))));
  const have = got.dataSync();
  let diff = have.length === want.length ? 0 : Infinity;
  for (let i = 0; i < have.length; i++) diff = Math.max(diff, Math.abs(have[i] - want[i]));
  const shape = got.shape;
  got.dispose();
  return { diff, shape, reference };
}

describe('native matmul kernel', function () {
  this.timeout(120000);
  const native = loadNativeBlas();

  before(async function () {
    await useTestBackend();
    if (tf.getBackend() !== 'wasm' || !native.blas) {
      // The kernel needs OpenBLAS (apt-get install libopenblas-dev) at npm install time.
      console.log(`      skipped: native matmul kernel ${native.blas ? `not used on the ${tf.getBackend()} backend` : native.problem}`);
      this.skip();
    }
  });

  it('is the matmul kernel the WASM backend uses', () => {
    assert.match(matMulKernel().kernel, /^native BLAS \(OpenBLAS/);
  });

  const products: Array<[number[], number[], boolean, boolean]> = [
    [[5, 3], [3, 4], false, false], [[3, 5], [3, 4], true, false], [[5, 3], [4, 3], false, true], [[3, 5], [4, 3], true, true],
    [[2, 5, 3], [2, 3, 4], false, false], [[2, 3, 5], [2, 4, 3], true, true], [[2, 5, 3], [3, 4], false, false],
    [[5, 3], [2, 3, 4], false, false], [[2, 1, 5, 3], [2, 3, 4], false, false], [[64, 256], [256, 1024], false, false], [[1, 7], [7, 1], false, false],
  ];
  for (const [a, b, ta, tb] of products) {
    it(`matMul [${a}]${ta ? 'ᵀ' : ''} · [${b}]${tb ? 'ᵀ' : ''} equals the cpu backend's`, async () => {
      const { diff, shape, reference } = await differenceToCpu((x, y) => tf.matMul(x, y, ta, tb), [a, b]);
      assert.deepEqual(shape, reference);
      assert.ok(diff < 1e-4 * Math.sqrt(ta ? a[a.length - 2] : a[a.length - 1]), `max difference ${diff}`);
    });
  }

  it('multiplies empty matrices into zeros of the right shape', async () => {
    const { shape, reference } = await differenceToCpu((x, y) => tf.matMul(x, y), [[0, 3], [3, 4]]);
    assert.deepEqual(shape, reference);
  });

  it('refuses operands outside the heap and a shared heap', () => {
    const heap = new ArrayBuffer(64); // 16 floats
    assert.throws(() => native.blas!.gemm(heap, 0, 4, 13, 1, 0, 0, 2, 2, 2, 0, 0), /outside the heap/);
    assert.throws(() => native.blas!.gemm(heap, 8, 0, 0, 2, 8, 0, 2, 2, 2, 0, 0), /outside the heap/);
    assert.throws(() => native.blas!.gemm(heap, -1, 4, 8, 1, 0, 0, 2, 2, 2, 0, 0), /negative/);
    assert.throws(() => native.blas!.gemm(new SharedArrayBuffer(64) as unknown as ArrayBuffer, 0, 4, 8, 1, 0, 0, 2, 2, 2, 0, 0), /ArrayBuffer/);
    const f = new Float32Array(heap);
    f.set([1, 2, 3, 4, 5, 6, 7, 8]);
    native.blas!.gemm(heap, 0, 4, 8, 1, 0, 0, 2, 2, 2, 0, 0); // [[1,2],[3,4]]·[[5,6],[7,8]]
    assert.deepEqual([...f.subarray(8, 12)], [19, 22, 43, 50]);
  });

  const sums: Array<[number[], number | number[], boolean]> = [
    [[1280, 1024], 0, false], [[7, 5, 3], 1, false], [[7, 5, 3], [0, 1], true], [[7, 5, 3], 2, false],
    [[7, 5, 3], [0, 2], false], [[4, 3, 5, 6], [1, 2], false], [[4, 3, 5, 6], 2, true], [[5], 0, false],
  ];
  for (const [shape, axis, keepDims] of sums) {
    it(`sum of [${shape}] over ${JSON.stringify(axis)}${keepDims ? ' (keepDims)' : ''} equals the cpu backend's`, async () => {
      const { diff, shape: got, reference } = await differenceToCpu(x => tf.sum(x, axis, keepDims), [shape]);
      assert.deepEqual(got, reference);
      assert.ok(diff < 1e-6 * shape.reduce((a, b) => a * b, 1), `max difference ${diff}`);
    });
  }
});

describe('native matmul kernel: choice', () => {
  it('splits a reduction into [outer, reduced, inner] only for one contiguous block of axes', () => {
    assert.deepEqual(reductionBlock([4, 3, 5, 6], [1, 2]), { outer: 4, reduced: 15, inner: 6 });
    assert.deepEqual(reductionBlock([4, 3, 5, 6], [2, 1]), { outer: 4, reduced: 15, inner: 6 });
    assert.deepEqual(reductionBlock([1280, 1024], [0]), { outer: 1, reduced: 1280, inner: 1024 });
    assert.equal(reductionBlock([4, 3, 5], [0, 2]), undefined);
    assert.equal(reductionBlock([4, 3, 5], []), undefined);
  });

  it('is off with SEQ2SEQ_NATIVE_BLAS=0 and says why; says what is missing when not built', function () {
    this.timeout(60000);
    assert.deepEqual(loadNativeBlas({ SEQ2SEQ_NATIVE_BLAS: '0' }), { problem: 'turned off (SEQ2SEQ_NATIVE_BLAS=0)' });
    assert.match(loadNativeBlas({}, ['/nonexistent/seq2seq_blas.node']).problem!, /not built .*libopenblas-dev/);
    assert.match(loadNativeBlas({ SEQ2SEQ_NATIVE_BLAS: __filename }).problem!, /did not load/);
    const root = path.join(__dirname, '../../../..');
    const script = "const b = require('./src/engine/backend'); b.initBackend('wasm').then(() => console.log(JSON.stringify(b.matMulKernel())))";
    const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, SEQ2SEQ_NATIVE_BLAS: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), { kernel: 'XNNPACK (WASM SIMD)', nativeProblem: 'turned off (SEQ2SEQ_NATIVE_BLAS=0)' });
  });
});

describe('WASM row gather (embedding lookups)', () => {
  before(useTestBackend);

  const cases: Array<[number[], number[], number]> = [[[40, 128], [1280], 0], [[7, 3], [2, 5], 0], [[7], [4], 0], [[4, 3, 2], [5], 0], [[4, 6], [3], 1]];
  for (const [shape, indexShape, axis] of cases) {
    it(`gathers [${indexShape}] indices from [${shape}] on axis ${axis} as the cpu backend does`, async () => {
      const n = indexShape.reduce((a, b) => a * b, 1);
      const ids = Int32Array.from({ length: n }, (_, i) => (i * 7 + 3) % shape[axis]);
      const { diff, shape: got, reference } = await differenceToCpu(x => tf.gather(x, tf.tensor(ids, indexShape, 'int32'), axis), [shape]);
      assert.deepEqual(got, reference);
      assert.equal(diff, 0);
    });
  }

  it('refuses an index outside the table', () => {
    const before = tf.memory().numTensors;
    assert.throws(() => tf.tidy(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([0, 3], 'int32'))), /index value 3 is not in \[0, 2\]/);
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('WASM identity (tf.clone) shares data', () => {
  before(useTestBackend);

  it('a clone reads the same values, outlives its source and frees the data with the last reference', function () {
    if (tf.getBackend() !== 'wasm') this.skip();
    const before = tf.memory();
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const y = tf.clone(x);
    // Shared, not copied: one buffer for the two tensors.
    assert.equal(tf.memory().numDataBuffers - before.numDataBuffers, 1);
    x.dispose();
    assert.equal(tf.memory().numDataBuffers - before.numDataBuffers, 1);
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4, 5, 6]);
    y.dispose();
    assert.equal(tf.memory().numDataBuffers, before.numDataBuffers);
    assert.equal(tf.memory().numTensors, before.numTensors);
  });
});
