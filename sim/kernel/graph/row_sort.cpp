#include "graph/row_sort.hpp"

#include <algorithm>
#include <array>
#include <boost/sort/pdqsort/pdqsort.hpp>
#include <limits>

#include "core/sanitizers.hpp"

namespace reachsim {

// Built for AVX2 as well as the baseline, chosen when the program is loaded: its eight-wide
// comparisons rank short rows 1.3x faster (docs/performance.md). Not under ThreadSanitizer, whose
// instrumented chooser would run before its runtime is ready, and crash the program at load.
#if defined(REACHSIM_THREAD_SANITIZER)
#define REACHSIM_ALSO_FOR_AVX2
#else
#define REACHSIM_ALSO_FOR_AVX2 __attribute__((target_clones("avx2", "default")))
#endif

REACHSIM_ALSO_FOR_AVX2 std::size_t sort_unique(std::span<AccountIndex> row) {
    const std::size_t n = row.size();
    if (n > rows_sorted_by_rank_up_to) {
        boost::sort::pdqsort_branchless(row.begin(), row.end());
        return static_cast<std::size_t>(std::unique(row.begin(), row.end()) - row.begin());
    }
    // Each id goes to its rank, the number of smaller ids; repeats share a rank, so the places
    // after it stay empty. Ids are below the account count, at most 2^32 - 1 (checked where a
    // scenario is read), so the largest index marks an empty place.
    constexpr AccountIndex empty = std::numeric_limits<AccountIndex>::max();
    std::array<AccountIndex, rows_sorted_by_rank_up_to> places;
    std::fill_n(places.begin(), n, empty);
    // Eight ids ranked at once: each of the row's ids is loaded once for all eight. Past the row's
    // end a block repeats its last id, which only writes that id to its place again.
    constexpr std::size_t lanes = 8;
    for (std::size_t first = 0; first < n; first += lanes) {
        std::array<AccountIndex, lanes> ids;
        std::array<AccountIndex, lanes> ranks{};
        for (std::size_t lane = 0; lane < lanes; ++lane) {
            ids[lane] = row[std::min(first + lane, n - 1)];
        }
        for (std::size_t j = 0; j < n; ++j) {
            const AccountIndex other = row[j];
            for (std::size_t lane = 0; lane < lanes; ++lane) {
                ranks[lane] += other < ids[lane] ? 1 : 0;
            }
        }
        for (std::size_t lane = 0; lane < lanes; ++lane) {
            places[ranks[lane]] = ids[lane];
        }
    }
    std::size_t kept = 0;
    for (std::size_t place = 0; place < n; ++place) {
        row[kept] = places[place];
        kept += places[place] != empty ? 1 : 0;
    }
    return kept;
}

}  // namespace reachsim
