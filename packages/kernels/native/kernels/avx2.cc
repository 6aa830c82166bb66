// The kernels compiled for the "avx2" SIMD level (see binding.gyp for this file's flags).
#define KILN_TABLE_FN kiln_table_avx2
#define KILN_TABLE_NAME "avx2"
#include "table.h"
