{
  "variables": { "cblas_include%": "/usr/include" },
  "targets": [{
    "target_name": "seq2seq_blas",
    "sources": ["blas.c"],
    "include_dirs": ["<(cblas_include)"],
    "libraries": ["-lopenblas"],
    "cflags": ["-O2", "-Wall"]
  }]
}
