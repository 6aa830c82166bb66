{
  # Kiln's native addon. The whole addon targets x86-64-v2; the AVX2 and AVX-512 kernels are
  # separate static libraries compiled with their own flags and picked at run time
  # (__builtin_cpu_supports in addon.cc), so one build runs on any x86-64.
  'variables': {
    'kiln_cflags': ['-O3', '-fPIC', '-fopenmp', '-fno-math-errno', '-fno-trapping-math', '-std=gnu++17'],
    'kiln_base_arch%': '-march=x86-64-v2',
  },
  'targets': [
    {
      'target_name': 'kiln_avx2',
      'type': 'static_library',
      'sources': ['native/kernels/avx2.cc'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17'],
      'cflags_cc': ['<@(kiln_cflags)', '<(kiln_base_arch)', '-mavx2', '-mfma'],
    },
    {
      'target_name': 'kiln_avx512',
      'type': 'static_library',
      'sources': ['native/kernels/avx512.cc'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17'],
      'cflags_cc': ['<@(kiln_cflags)', '<(kiln_base_arch)', '-mavx2', '-mfma', '-mavx512f', '-mprefer-vector-width=512'],
    },
    # The QUBO annealing kernels (native/anneal/kernels.cc), built once per SIMD level; the define
    # names each build's table getter. -ffp-contract=off: both builds compute bit-identical results.
    {
      'target_name': 'kiln_anneal_generic',
      'type': 'static_library',
      'sources': ['native/anneal/kernels.cc'],
      'defines': ['KILN_ANNEAL_TABLE_FN=kiln_anneal_generic'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17'],
      'cflags_cc': ['<@(kiln_cflags)', '<(kiln_base_arch)', '-ffp-contract=off'],
    },
    {
      'target_name': 'kiln_anneal_avx512',
      'type': 'static_library',
      'sources': ['native/anneal/kernels.cc'],
      'defines': ['KILN_ANNEAL_TABLE_FN=kiln_anneal_avx512'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17'],
      'cflags_cc': ['<@(kiln_cflags)', '<(kiln_base_arch)', '-mavx2', '-mfma', '-mavx512f', '-mavx512bw', '-mavx512vl', '-mavx512dq', '-ffp-contract=off'],
    },
    {
      'target_name': 'kiln_native',
      'dependencies': ['kiln_avx2', 'kiln_avx512', 'kiln_anneal_generic', 'kiln_anneal_avx512'],
      'sources': [
        'native/addon.cc',
        'native/kernels/generic.cc',
        'native/anneal/driver.cc',
        'native/anneal/sa-loihi.cc',
        'native/anneal/tabu.cc',
        'native/anneal/multispin.cc',
        'native/anneal/memetic.cc',
        'native/anneal/napi.cc',
      ],
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
      'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS', 'NODE_ADDON_API_CPP_EXCEPTIONS_ALL'],
      'cflags!': ['-fno-exceptions'],
      'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++17'],
      'cflags_cc': ['<@(kiln_cflags)', '<(kiln_base_arch)', '-fexceptions'],
      'ldflags': ['-fopenmp'],
      'libraries': ['-ldl'],
    },
  ],
}
