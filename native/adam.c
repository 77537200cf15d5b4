/*
 * One Adam update of a parameter as one element-wise pass on the WASM heap (the update of
 * src/engine/train/optimizer.ts, which otherwise runs ~12 tfjs kernels per parameter per step):
 *
 *   m' = β1·m + (1 − β1)·s·g
 *   v' = β2·v + (1 − β2)·s²·g²
 *   w' = w − stepSize·m' / (√v' + ε)
 *
 * s is the clipping factor; stepSize and ε carry the bias correction (Kingma & Ba, §2). The
 * results go to fresh outputs (w', m', v'), never in place: other tensors may share a
 * variable's data.
 */
#include <node_api.h>
#include <math.h>
#include <stdint.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ELEMENTWISE __attribute__((target_clones("avx2", "default")))
#else
#define ELEMENTWISE
#endif

ELEMENTWISE static void adam(int64_t n, const float *w, const float *m, const float *v, const float *g,
                             float beta1, float beta2, float scale, float stepSize, float epsilon,
                             float *wOut, float *mOut, float *vOut) {
  const float a = (1.0f - beta1) * scale, b = (1.0f - beta2) * scale * scale;
  for (int64_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = beta1 * m[i] + a * gi;
    const float vi = beta2 * v[i] + b * gi * gi;
    mOut[i] = mi;
    vOut[i] = vi;
    wOut[i] = w[i] - stepSize * mi / (sqrtf(vi) + epsilon);
  }
}

/* adamUpdate(heap, n, w, m, v, g, wOut, mOut, vOut, beta1, beta2, scale, stepSize, epsilon): offsets in floats. */
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 14) {
    napi_throw_type_error(env, NULL, "seq2seq_blas.adamUpdate: expected 14 arguments");
    return NULL;
  }
  bool isBuffer = false;
  void *data;
  size_t bytes;
  if (napi_is_arraybuffer(env, argv[0], &isBuffer) != napi_ok || !isBuffer || napi_get_arraybuffer_info(env, argv[0], &data, &bytes) != napi_ok) {
    napi_throw_type_error(env, NULL, "seq2seq_blas.adamUpdate: the heap must be an ArrayBuffer");
    return NULL;
  }
  int64_t v[8];
  double s[5];
  for (int i = 0; i < 8; i++) {
    if (napi_get_value_int64(env, argv[1 + i], &v[i]) != napi_ok) { napi_throw_type_error(env, NULL, "seq2seq_blas.adamUpdate: expected integer offsets"); return NULL; }
  }
  for (int i = 0; i < 5; i++) {
    if (napi_get_value_double(env, argv[9 + i], &s[i]) != napi_ok) { napi_throw_type_error(env, NULL, "seq2seq_blas.adamUpdate: expected numbers"); return NULL; }
  }
  const int64_t floats = (int64_t)(bytes / sizeof(float)), n = v[0];
  for (int i = 1; i < 8; i++) {
    if (n < 1 || v[i] < 0 || v[i] + n > floats) { napi_throw_range_error(env, NULL, "seq2seq_blas.adamUpdate: a size is not positive or an operand lies outside the heap"); return NULL; }
  }
  float *heap = (float *)data;
  adam(n, heap + v[1], heap + v[2], heap + v[3], heap + v[4], (float)s[0], (float)s[1], (float)s[2], (float)s[3], (float)s[4], heap + v[5], heap + v[6], heap + v[7]);
  return NULL;
}
