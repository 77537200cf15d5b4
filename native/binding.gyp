{
  "variables": { "cblas_include%": "/usr/include" },
  "targets": [{
    "target_name": "seq2seq_blas",
    "sources": ["blas.c", "lstm.c", "adam.c"],
    "include_dirs": ["<(cblas_include)"],
    "libraries": ["-lopenblas", "-lm"],
    "cflags": ["-O3", "-ffast-math", "-Wall"]
  }]
}
