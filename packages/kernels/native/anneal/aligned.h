// 64-byte aligned, zeroed scratch arrays (std::unique_ptr freeing with std::free): the lane groups'
// and tabu searches' per-variable arrays, aligned for the inner loops' vector loads.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace kiln::anneal {

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
template <typename T>
std::unique_ptr<T[], AlignedFree> aligned_zeros(size_t count) {
  const size_t bytes = std::max<size_t>(64, (count * sizeof(T) + 63) / 64 * 64);
  void* p = std::aligned_alloc(64, bytes);
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  return std::unique_ptr<T[], AlignedFree>(static_cast<T*>(p));
}

}  // namespace kiln::anneal
