// Parallel loops over index ranges, on TBB. ThreadSanitizer builds run the chunks on plain
// threads instead, as many as the TBB arena allows: Debian's TBB is not built with TSan, which
// would report its scheduler's hand-overs as races, and suppressing those reports (a suppression
// matches any frame of a report) hid races in the loop bodies too. TSan sees the plain threads'
// start and join, so it needs no suppressions and checks reachsim's own code.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <iterator>
#include <thread>
#include <vector>

#include "core/sanitizers.hpp"

namespace reachsim {

// Calls body(chunk_begin, chunk_end) on disjoint chunks covering [begin, end), in parallel, and
// returns when all have finished.
template <typename Body>
void parallel_chunks(std::size_t begin, std::size_t end, std::size_t grain, Body&& body) {
    if (end <= begin) {
        return;
    }
#if defined(REACHSIM_THREAD_SANITIZER)
    const auto threads =
        static_cast<std::size_t>(std::max(1, tbb::this_task_arena::max_concurrency()));
    const std::size_t chunk = std::max({grain, std::size_t{1}, (end - begin) / (threads * 64)});
    std::atomic<std::size_t> next{begin};
    auto work = [&] {
        for (std::size_t first = next.fetch_add(chunk); first < end;
             first = next.fetch_add(chunk)) {
            body(first, std::min(first + chunk, end));
        }
    };
    std::vector<std::thread> helpers;
    for (std::size_t t = 1; t < std::min(threads, (end - begin + chunk - 1) / chunk); ++t) {
        helpers.emplace_back(work);
    }
    work();
    for (auto& helper : helpers) {
        helper.join();
    }
#else
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(begin, end, grain),
        [&](const tbb::blocked_range<std::size_t>& range) { body(range.begin(), range.end()); });
#endif
}

// Calls body(i) for every i in [begin, end), in parallel.
template <typename Body>
void parallel_for_each_index(std::size_t begin, std::size_t end, Body&& body) {
    parallel_chunks(begin, end, 1, [&](std::size_t chunk_begin, std::size_t chunk_end) {
        for (std::size_t i = chunk_begin; i < chunk_end; ++i) {
            body(i);
        }
    });
}

// Sorts [first, last) by `less`: pieces side by side, then merged pairwise. Elements that are
// equal under `less` may end up in any order, so use it where equal means identical (numbers).
template <typename Iterator, typename Less>
void parallel_sort(Iterator first, Iterator last, Less less) {
    constexpr std::size_t pieces = 16;
    const auto size = static_cast<std::size_t>(std::distance(first, last));
    if (size < pieces * 4096) {
        std::sort(first, last, less);
        return;
    }
    auto piece_start = [&](std::size_t k) {
        return first + static_cast<std::ptrdiff_t>(size * k / pieces);
    };
    parallel_for_each_index(
        0, pieces, [&](std::size_t k) { std::sort(piece_start(k), piece_start(k + 1), less); });
    for (std::size_t width = 1; width < pieces; width *= 2) {
        parallel_for_each_index(0, pieces / (2 * width), [&](std::size_t pair) {
            const std::size_t k = pair * 2 * width;
            std::inplace_merge(piece_start(k), piece_start(k + width), piece_start(k + 2 * width),
                               less);
        });
    }
}

}  // namespace reachsim
