/*
 * seq2seq_blas: float32 matrix products for the WASM backend, computed by the system's
 * OpenBLAS on the WASM heap in place (zero copies).
 *
 * The WASM backend keeps every tensor in one ArrayBuffer (the module's memory). A BatchMatMul
 * replacement (src/engine/backend/nativeMatMul.ts) passes that buffer and the tensors' float
 * offsets here; cblas_sgemm reads and writes the heap directly. Optional: built by
 * scripts/buildNative.mjs when a C compiler and OpenBLAS's headers are present, otherwise the
 * engine uses tfjs's own kernels. N-API, so the one binary loads in Node and in VS Code's
 * Electron, and in worker threads (NAPI_MODULE_INIT is context-aware).
 */
#include <node_api.h>
#include <cblas.h>
#include <stdint.h>

/* lstm.c: a whole LSTM layer forward and backward */
napi_value LstmForward(napi_env env, napi_callback_info info);
napi_value LstmBackward(napi_env env, napi_callback_info info);
/* adam.c: one Adam update of a parameter */
napi_value AdamUpdate(napi_env env, napi_callback_info info);

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "seq2seq_blas: N-API call failed: " #call); return NULL; } } while (0)

/*
 * gemm(heap, aOffset, bOffset, cOffset, batch, aBatchStride, bBatchStride, M, N, K, transposeA, transposeB)
 * For each i < batch: C_i[M,N] = op(A_i) · op(B_i), row-major, offsets and strides in floats;
 * A_i = heap[aOffset + i·aBatchStride], op(A) = Aᵀ when transposeA (A stored [K,M]). A stride of 0
 * broadcasts that operand. C_i is at cOffset + i·M·N. Every operand must lie inside the buffer.
 */
static napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 12) { napi_throw_type_error(env, NULL, "seq2seq_blas.gemm: expected 12 arguments"); return NULL; }
  bool isBuffer = false;
  CHECK(napi_is_arraybuffer(env, argv[0], &isBuffer));
  if (!isBuffer) { napi_throw_type_error(env, NULL, "seq2seq_blas.gemm: the heap must be an ArrayBuffer (not a SharedArrayBuffer)"); return NULL; }
  void *data;
  size_t bytes;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &data, &bytes));
  int64_t v[11];
  for (int i = 0; i < 11; i++) {
    CHECK(napi_get_value_int64(env, argv[i + 1], &v[i]));
    if (v[i] < 0) { napi_throw_range_error(env, NULL, "seq2seq_blas.gemm: negative offset, stride or size"); return NULL; }
  }
  const int64_t aOffset = v[0], bOffset = v[1], cOffset = v[2], batch = v[3], aStride = v[4], bStride = v[5];
  const int64_t M = v[6], N = v[7], K = v[8];
  const int transposeA = v[9] != 0, transposeB = v[10] != 0;
  const int64_t floats = (int64_t)(bytes / sizeof(float));
  if (M > INT32_MAX || N > INT32_MAX || K > INT32_MAX || batch == 0 ||
      aOffset + (batch - 1) * aStride + M * K > floats ||
      bOffset + (batch - 1) * bStride + K * N > floats ||
      cOffset + batch * M * N > floats) {
    napi_throw_range_error(env, NULL, "seq2seq_blas.gemm: an operand lies outside the heap");
    return NULL;
  }
  float *heap = (float *)data;
  for (int64_t i = 0; i < batch; i++) {
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                (int)M, (int)N, (int)K, 1.0f,
                heap + aOffset + i * aStride, transposeA ? (int)M : (int)K,
                heap + bOffset + i * bStride, transposeB ? (int)K : (int)N,
                0.0f, heap + cOffset + i * M * N, (int)N);
  }
  return NULL;
}

/* setThreads(n): OpenBLAS's threads per product (process-wide). */
static napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t n = 1;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || napi_get_value_int32(env, argv[0], &n) != napi_ok || n < 1) { napi_throw_type_error(env, NULL, "seq2seq_blas.setThreads: expected a positive integer"); return NULL; }
  openblas_set_num_threads(n);
  return NULL;
}

/* config(): OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64". */
static napi_value Config(napi_env env, napi_callback_info info) {
  napi_value out;
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &out));
  return out;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, Gemm, NULL, &fn) != napi_ok || napi_set_named_property(env, exports, "gemm", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "setThreads", NAPI_AUTO_LENGTH, SetThreads, NULL, &fn) != napi_ok || napi_set_named_property(env, exports, "setThreads", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "lstmForward", NAPI_AUTO_LENGTH, LstmForward, NULL, &fn) != napi_ok || napi_set_named_property(env, exports, "lstmForward", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "lstmBackward", NAPI_AUTO_LENGTH, LstmBackward, NULL, &fn) != napi_ok || napi_set_named_property(env, exports, "lstmBackward", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "adamUpdate", NAPI_AUTO_LENGTH, AdamUpdate, NULL, &fn) != napi_ok || napi_set_named_property(env, exports, "adamUpdate", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "config", NAPI_AUTO_LENGTH, Config, NULL, &fn) != napi_ok || napi_set_named_property(env, exports, "config", fn) != napi_ok) return NULL;
  return exports;
}
