/*
 * A whole LSTM layer over a sequence, forward and backward through time, on the WASM heap in
 * place: the per-step work of src/engine/model/fusedRecurrence.ts (h·U, one sigmoid over the
 * four gates, the cell update, the padding mask; and in reverse the gate derivatives and
 * dz·Uᵀ) as one call per layer instead of about 18 tfjs kernels per step forward and 12
 * backward. The math is exactly fusedRecurrence.ts's (the tests compare the two):
 *
 *   z  = xp_t + h·U                      [batch, 4H]; gate order i, f, g, o (PyTorch)
 *   s  = σ(z)                            g columns of xp and U carry a factor 2 (gate-scaled),
 *   g  = 2·s_g − 1 = tanh(z_g)           so one sigmoid serves all four gates
 *   c' = s_f ⊙ c + s_i ⊙ g,  h' = s_o ⊙ tanh(c')
 *   c ← c + m(c' − c),  h ← h + m(h' − h)  (m: 1 for a real step, 0 for padding)
 *
 * Layouts (row-major floats, offsets in floats): xp [T·B, 4H] time-major in input order; U
 * [H, 4H]; h0, c0 [B, H]; mask [T, B] or absent; y [(T+1)·B, H]: h after each step (input
 * order), then the final c. Saved for the backward pass: s [T·B, 4H] and aux [3·T·B, H] =
 * h_prev, c_prev, tanh(c') per step. Gradients: dxp [T·B, 4H] (the gate-scaled z's), dU [H, 4H],
 * dh0, dc0 [B, H].
 */
#include <node_api.h>
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The element-wise loops are built for AVX2 and for the baseline; the loader picks at run time. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ELEMENTWISE __attribute__((target_clones("avx2", "default")))
#else
#define ELEMENTWISE
#endif

/*
 * Built with -ffast-math, which lets GCC call glibc's vectorized expf (libmvec). It also lets
 * the clamp below turn a NaN into ±30: a NaN input need not come out NaN here. The trainer
 * refuses a non-finite loss or gradient norm before any update (train/step.ts), so a NaN never
 * reaches the weights through this kernel.
 */
static inline float sigmoid(float x) {
  /* σ(±17) is 1 or 0 in float32 already; the clamp keeps expf finite. */
  x = x < -30.0f ? -30.0f : (x > 30.0f ? 30.0f : x);
  return 1.0f / (1.0f + expf(-x));
}

/* tanh(x) = 2σ(2x) − 1: expf vectorizes (glibc's libmvec), tanhf does not. */
static inline float tanhViaSigmoid(float x) {
  return 2.0f * sigmoid(2.0f * x) - 1.0f;
}

/* One forward step's gates and state update for `rows` rows (see the file comment). */
ELEMENTWISE static void forwardGates(int64_t rows, int64_t H, float *z, const float *c, const float *h, const float *mask,
                                     int scaleG, float *cOut, float *hOut, float *tcOut) {
  for (int64_t b = 0; b < rows; b++) {
    float *zb = z + b * 4 * H;
    if (scaleG) for (int64_t j = 0; j < H; j++) zb[2 * H + j] *= 2.0f;
    for (int64_t j = 0; j < 4 * H; j++) zb[j] = sigmoid(zb[j]); /* z becomes s */
    const float m = mask ? mask[b] : 1.0f;
    for (int64_t j = 0; j < H; j++) {
      const float si = zb[j], sf = zb[H + j], g = 2.0f * zb[2 * H + j] - 1.0f, so = zb[3 * H + j];
      const float cPrev = c[b * H + j], hPrev = h[b * H + j];
      const float cNew = sf * cPrev + si * g;
      const float tc = tanhViaSigmoid(cNew);
      if (tcOut) tcOut[b * H + j] = tc;
      cOut[b * H + j] = cPrev + m * (cNew - cPrev);
      hOut[b * H + j] = hPrev + m * (so * tc - hPrev);
    }
  }
}

/* One backward step: dz from the saved s, c_prev, tanh c' and the incoming gh (h) and dc (c); dc and gh updated in place. */
ELEMENTWISE static void backwardGates(int64_t rows, int64_t H, const float *s, const float *cPrev, const float *tc, const float *mask,
                                      float gScale, float *gh, float *dc, float *dz) {
  for (int64_t b = 0; b < rows; b++) {
    const float *sb = s + b * 4 * H;
    float *dzb = dz + b * 4 * H;
    const float m = mask ? mask[b] : 1.0f;
    for (int64_t j = 0; j < H; j++) {
      const int64_t k = b * H + j;
      const float si = sb[j], sf = sb[H + j], sg = sb[2 * H + j], so = sb[3 * H + j];
      const float t = tc[k];
      const float ghIn = m * gh[k];       /* through the fresh state */
      const float gcIn = m * dc[k];
      const float dcNew = gcIn + ghIn * so * (1.0f - t * t);
      dzb[j] = dcNew * (2.0f * sg - 1.0f) * si * (1.0f - si);
      dzb[H + j] = dcNew * cPrev[k] * sf * (1.0f - sf);
      dzb[2 * H + j] = dcNew * si * gScale * sg * (1.0f - sg);
      dzb[3 * H + j] = ghIn * t * so * (1.0f - so);
      dc[k] = dcNew * sf + (dc[k] - gcIn); /* plus what a padded step passes straight back */
      gh[k] = gh[k] - ghIn;                /* the part of gh kept by padding; dz·Uᵀ is added next */
    }
  }
}

/* Reads `count` int64 arguments from argv[first…]; an offset of −1 means "absent". */
static int readInts(napi_env env, napi_value *argv, int first, int count, int64_t *out) {
  for (int i = 0; i < count; i++) {
    if (napi_get_value_int64(env, argv[first + i], &out[i]) != napi_ok) return 0;
  }
  return 1;
}

static int inside(int64_t offset, int64_t size, int64_t floats) {
  return offset >= 0 && size >= 0 && offset + size <= floats;
}

static float *heapOf(napi_env env, napi_value value, int64_t *floats) {
  bool isBuffer = false;
  void *data;
  size_t bytes;
  if (napi_is_arraybuffer(env, value, &isBuffer) != napi_ok || !isBuffer) return NULL;
  if (napi_get_arraybuffer_info(env, value, &data, &bytes) != napi_ok) return NULL;
  *floats = (int64_t)(bytes / sizeof(float));
  return (float *)data;
}

/*
 * Reads a call (heap, then `count` integers) into heap/floats/v; on a bad call throws a
 * JavaScript error naming `name` and returns 0.
 */
static int readCall(napi_env env, napi_callback_info info, const char *name, size_t count, float **heap, int64_t *floats, int64_t *v) {
  char message[96];
  size_t argc = 16;
  napi_value argv[16];
  if (count + 1 > 16 || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != count + 1) {
    snprintf(message, sizeof message, "seq2seq_blas.%s: expected %zu arguments", name, count + 1);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  *heap = heapOf(env, argv[0], floats);
  if (!*heap) {
    snprintf(message, sizeof message, "seq2seq_blas.%s: the heap must be an ArrayBuffer", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  if (!readInts(env, argv, 1, (int)count, v)) {
    snprintf(message, sizeof message, "seq2seq_blas.%s: expected integer arguments", name);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

/*
 * lstmForward(heap, T, B, H, reverse, gateScaled, xp, u, h0, c0, mask, y, s, aux)
 * Offsets in floats; mask −1 when no row is padded; s and aux −1 when nothing is recorded.
 * Without gateScaled, the g columns of z are doubled here (inference).
 */
napi_value LstmForward(napi_env env, napi_callback_info info) {
  float *heap;
  int64_t floats, v[13];
  if (!readCall(env, info, "lstmForward", 13, &heap, &floats, v)) return NULL;
  const int64_t T = v[0], B = v[1], H = v[2], reverse = v[3], gateScaled = v[4];
  const int64_t xpOff = v[5], uOff = v[6], h0Off = v[7], c0Off = v[8], maskOff = v[9], yOff = v[10], sOff = v[11], auxOff = v[12];
  const int record = sOff >= 0;
  if (T < 1 || B < 1 || H < 1 || 4 * H > INT32_MAX || T * B > INT32_MAX ||
      !inside(xpOff, T * B * 4 * H, floats) || !inside(uOff, H * 4 * H, floats) || !inside(h0Off, B * H, floats) ||
      !inside(c0Off, B * H, floats) || (maskOff != -1 && !inside(maskOff, T * B, floats)) || !inside(yOff, (T + 1) * B * H, floats) ||
      (record && (!inside(sOff, T * B * 4 * H, floats) || !inside(auxOff, 3 * T * B * H, floats))) || (!record && auxOff != -1)) {
    napi_throw_range_error(env, NULL, "seq2seq_blas.lstmForward: a size is not positive or an operand lies outside the heap");
    return NULL;
  }
  float *scratch = record ? NULL : malloc(sizeof(float) * (size_t)(B * 4 * H + B * H));
  if (!record && !scratch) { napi_throw_error(env, NULL, "seq2seq_blas.lstmForward: out of memory"); return NULL; }
  const float *xp = heap + xpOff, *u = heap + uOff, *mask = maskOff >= 0 ? heap + maskOff : NULL;
  float *y = heap + yOff;
  float *cState = y + T * B * H; /* the final c's rows double as the running c */
  memmove(cState, heap + c0Off, sizeof(float) * (size_t)(B * H));
  const float *h = heap + h0Off;
  for (int64_t k = 0; k < T; k++) {
    const int64_t t = reverse ? T - 1 - k : k;
    float *z = record ? heap + sOff + t * B * 4 * H : scratch; /* [B, 4H] */
    memcpy(z, xp + t * B * 4 * H, sizeof(float) * (size_t)(B * 4 * H));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)B, (int)(4 * H), (int)H, 1.0f, h, (int)H, u, (int)(4 * H), 1.0f, z, (int)(4 * H));
    float *tc = NULL;
    if (record) {
      float *aux = heap + auxOff;
      memcpy(aux + t * B * H, h, sizeof(float) * (size_t)(B * H));                 /* h_prev */
      memcpy(aux + (T + t) * B * H, cState, sizeof(float) * (size_t)(B * H));      /* c_prev */
      tc = aux + (2 * T + t) * B * H;
    }
    float *hOut = y + t * B * H;
    forwardGates(B, H, z, cState, h, mask ? mask + t * B : NULL, !gateScaled, cState, hOut, tc);
    h = hOut;
  }
  free(scratch);
  return NULL;
}

/*
 * lstmBackward(heap, T, B, H, reverse, gateScaled, u, mask, dy, s, aux, dxp, du, dh0, dc0)
 * From the incoming dy [(T+1)·B, H] and what lstmForward saved. Without gateScaled, xp and U
 * were not scaled (the forward doubled z_g itself), so ∂L/∂z_g carries that factor 2 as well
 * (∂σ(2z)/∂z = 2σ'): dxp and dU are then the gradients of the unscaled inputs.
 */
napi_value LstmBackward(napi_env env, napi_callback_info info) {
  float *heap;
  int64_t floats, v[14];
  if (!readCall(env, info, "lstmBackward", 14, &heap, &floats, v)) return NULL;
  const int64_t T = v[0], B = v[1], H = v[2], reverse = v[3], gateScaled = v[4];
  const int64_t uOff = v[5], maskOff = v[6], dyOff = v[7], sOff = v[8], auxOff = v[9], dxpOff = v[10], duOff = v[11], dh0Off = v[12], dc0Off = v[13];
  if (T < 1 || B < 1 || H < 1 || 4 * H > INT32_MAX || T * B > INT32_MAX ||
      !inside(uOff, H * 4 * H, floats) || (maskOff != -1 && !inside(maskOff, T * B, floats)) || !inside(dyOff, (T + 1) * B * H, floats) ||
      !inside(sOff, T * B * 4 * H, floats) || !inside(auxOff, 3 * T * B * H, floats) || !inside(dxpOff, T * B * 4 * H, floats) ||
      !inside(duOff, H * 4 * H, floats) || !inside(dh0Off, B * H, floats) || !inside(dc0Off, B * H, floats)) {
    napi_throw_range_error(env, NULL, "seq2seq_blas.lstmBackward: a size is not positive or an operand lies outside the heap");
    return NULL;
  }
  const float *u = heap + uOff, *mask = maskOff >= 0 ? heap + maskOff : NULL, *dy = heap + dyOff, *s = heap + sOff, *aux = heap + auxOff;
  float *dxp = heap + dxpOff;
  float *gh = heap + dh0Off; /* the running ∂L/∂h ends as dh0 */
  float *dc = heap + dc0Off; /* the running ∂L/∂c ends as dc0 */
  memset(gh, 0, sizeof(float) * (size_t)(B * H));
  memcpy(dc, dy + T * B * H, sizeof(float) * (size_t)(B * H));
  for (int64_t k = T - 1; k >= 0; k--) {
    const int64_t t = reverse ? T - 1 - k : k;
    const float *dyt = dy + t * B * H;
    for (int64_t i = 0; i < B * H; i++) gh[i] += dyt[i];
    float *dz = dxp + t * B * 4 * H;
    backwardGates(B, H, s + t * B * 4 * H, aux + (T + t) * B * H, aux + (2 * T + t) * B * H, mask ? mask + t * B : NULL, gateScaled ? 2.0f : 4.0f, gh, dc, dz);
    /* gh ← kept part + dz·Uᵀ */
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)B, (int)H, (int)(4 * H), 1.0f, dz, (int)(4 * H), u, (int)(4 * H), 1.0f, gh, (int)H);
  }
  /* dU = Σ_t h_prevᵀ·dz_t, one product over all steps: [H, T·B] · [T·B, 4H] */
  cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)H, (int)(4 * H), (int)(T * B), 1.0f, aux, (int)H, dxp, (int)(4 * H), 0.0f, heap + duOff, (int)(4 * H));
  return NULL;
}
