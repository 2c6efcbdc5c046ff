// Software prefetch: asks the memory system for the cache line holding a value that will be read
// soon, so that independent cache misses overlap instead of stalling one after another.
#pragma once

namespace reachsim {

template <typename T>
inline void prefetch(const T& value) {
#if defined(__x86_64__)
    // An asm statement rather than __builtin_prefetch, which GCC 12 silently dropped from the pull
    // scheduler's loop at -O1 and above.
    asm volatile("prefetcht0 %0" : : "m"(value));
#else
    __builtin_prefetch(&value);
#endif
}

}  // namespace reachsim
