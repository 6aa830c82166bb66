// The kernels compiled for the "generic" SIMD level (see binding.gyp for this file's flags).
#define KILN_TABLE_FN kiln_table_generic
#define KILN_TABLE_NAME "generic"
#include "table.h"
