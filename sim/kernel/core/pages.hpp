// The pages of arrays of billions of follows: faulted in on every thread before they are first
// written, and handed back to the system without copying, where a shrink_to_fit would hold two
// copies at once.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/parallel.hpp"

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

// resize(size), its new elements value-initialised as by resize, but with their pages faulted in
// on all threads first (MADV_POPULATE_WRITE): a page's first touch is a fault, and on these VMs
// memory not used lately faults in at ~0.5 GB/s per thread, so a one-thread zeroing of 5.6 GB of
// follows took 10 s (docs/performance.md). The zeroing that follows runs on memory in place.
template <typename T>
void resize_prefaulted(std::vector<T>& values, std::size_t size) {
    static_assert(std::is_trivially_copyable_v<T>);
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
    if (size > values.size()) {
        values.reserve(size);
        const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
        const auto begin = reinterpret_cast<std::uintptr_t>(values.data() + values.size());
        const auto end = reinterpret_cast<std::uintptr_t>(values.data() + size);
        const std::uintptr_t first_page = begin / page * page;
        constexpr std::uintptr_t piece_bytes = std::uintptr_t{64} << 20;  // a thread's share
        parallel_for_each_index(0, (end - first_page + piece_bytes - 1) / piece_bytes,
                                [&](std::size_t piece) {
                                    const std::uintptr_t from = first_page + piece * piece_bytes;
                                    // A failure (an older kernel) leaves the faults to the writes.
                                    madvise(reinterpret_cast<void*>(from),
                                            std::min(piece_bytes, end - from), MADV_POPULATE_WRITE);
                                });
    }
#endif
    values.resize(size);
}

}  // namespace reachsim
