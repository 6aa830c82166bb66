// The driver's random numbers: splitmix64 streams per (seed, replica), which seed each replica's
// xoshiro128+ (the generator the inner loops step, kernels.cc), and xoshiro128+ itself for random
// starting states and tabu's perturbations. Replica r's stream depends only on the seed and r, so
// a run's result does not depend on the thread count.
#pragma once

#include <cstdint>

namespace kiln::anneal {

inline uint64_t splitmix64(uint64_t& z) {
  uint64_t x = (z += 0x9e3779b97f4a7c15ull);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
inline uint64_t stream_seed(uint64_t seed, uint64_t stream) {
  uint64_t z = stream * 0xd1b54a32d192ed03ull + 0x632be59bd9b4e019ull;
  const uint64_t a = splitmix64(z);
  uint64_t y = seed ^ a;
  return splitmix64(y);
}
inline void seed_xoshiro(uint64_t seed, uint32_t* s, int stride) {
  uint64_t z = seed;
  const uint64_t a = splitmix64(z), b = splitmix64(z);
  s[0] = static_cast<uint32_t>(a);
  s[stride] = static_cast<uint32_t>(a >> 32);
  s[2 * stride] = static_cast<uint32_t>(b);
  s[3 * stride] = static_cast<uint32_t>(b >> 32);
  if ((s[0] | s[stride] | s[2 * stride] | s[3 * stride]) == 0) s[0] = 1;
}
inline uint32_t xoshiro_next(uint32_t* s, int stride) {
  uint32_t& s0 = s[0];
  uint32_t& s1 = s[stride];
  uint32_t& s2 = s[2 * stride];
  uint32_t& s3 = s[3 * stride];
  const uint32_t r = s0 + s3;
  const uint32_t t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = (s3 << 11) | (s3 >> 21);
  return r;
}

}  // namespace kiln::anneal
