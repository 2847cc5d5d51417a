#include "dicometl/pipeline/heap_tuning.hpp"

#include <malloc.h>

namespace dicometl::pipeline {

void keep_freed_heap() {
  ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
  ::mallopt(M_TOP_PAD, 16 << 20);
  ::mallopt(M_MMAP_THRESHOLD, 16 << 20);
}

}  // namespace dicometl::pipeline
