// The kernels compiled for the "avx512" SIMD level (see binding.gyp for this file's flags).
#define KILN_TABLE_FN kiln_table_avx512
#define KILN_TABLE_NAME "avx512"
#include "table.h"
