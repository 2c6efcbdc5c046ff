// Handing memory back to the system without copying: for arrays of billions of follows, where a
// shrink_to_fit would hold two copies at once.
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace reachsim {

// Returns the whole pages of `values`' storage past its end to the system; the capacity stays,
// and a page the vector later grows into comes back zero-filled.
template <typename T>
void release_pages_past_end(std::vector<T>& values) {
    static_assert(std::is_trivially_copyable_v<T>);
#if defined(__linux__)
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto end_of_data = reinterpret_cast<std::uintptr_t>(values.data() + values.size());
    const auto end_of_storage = reinterpret_cast<std::uintptr_t>(values.data() + values.capacity());
    const std::uintptr_t first = (end_of_data + page - 1) / page * page;
    const std::uintptr_t last = end_of_storage / page * page;
    if (last > first) {
        madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
    }
#endif
}

}  // namespace reachsim
