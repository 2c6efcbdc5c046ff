// What this processor can run: code with AVX-512 paths (random/random_stream.cpp,
// graph/row_sort.cpp) asks here once, and takes its portable path on processors without it.
#pragma once

namespace reachsim {

inline bool processor_has_avx512() {
#if defined(__x86_64__)
    static const bool has = __builtin_cpu_supports("avx512f") != 0;
    return has;
#else
    return false;
#endif
}

}  // namespace reachsim
