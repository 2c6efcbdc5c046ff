#include "graph/row_sort.hpp"

#include <algorithm>
#include <array>
#include <boost/sort/pdqsort/pdqsort.hpp>
#include <limits>

#include "core/processor.hpp"
#include "core/sanitizers.hpp"

namespace reachsim {

namespace {

// Each id goes to its rank, the number of smaller ids; repeats share a rank, so the places after
// it stay empty. Ids are below the account count, at most 2^32 - 1 (checked where a scenario is
// read), so the largest index marks an empty place. `lanes` ids are ranked at once: each of the
// row's ids is loaded once for all of them. Past the row's end a block repeats its last id, which
// only writes that id to its place again.
template <std::size_t lanes, std::size_t longest>
[[gnu::always_inline]] inline std::size_t sort_by_rank(std::span<AccountIndex> row) {
    const std::size_t n = row.size();
    constexpr AccountIndex empty = std::numeric_limits<AccountIndex>::max();
    std::array<AccountIndex, longest> places;
    std::fill_n(places.begin(), n, empty);
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

// Not under ThreadSanitizer, whose instrumented chooser of target_clones would run before its
// runtime is ready, and crash the program at load; the AVX-512 build is chosen below instead.
#if defined(REACHSIM_THREAD_SANITIZER)
#define REACHSIM_ALSO_FOR_AVX2
#else
#define REACHSIM_ALSO_FOR_AVX2 __attribute__((target_clones("avx2", "default")))
#endif

// Eight-wide comparisons: AVX2 ranks short rows 1.3x faster than the baseline
// (docs/performance.md).
REACHSIM_ALSO_FOR_AVX2 std::size_t sort_by_rank_eight_wide(std::span<AccountIndex> row) {
    return sort_by_rank<8, rows_sorted_by_rank_up_to_without_avx512>(row);
}

__attribute__((target("avx512f"))) std::size_t sort_by_rank_sixteen_wide(
    std::span<AccountIndex> row) {
    return sort_by_rank<16, rows_sorted_by_rank_up_to>(row);
}

}  // namespace

std::size_t sort_unique(std::span<AccountIndex> row, RowSortInstructions instructions) {
    const bool sixteen_wide = processor_has_avx512() && instructions == RowSortInstructions::widest;
    if (row.size() >
        (sixteen_wide ? rows_sorted_by_rank_up_to : rows_sorted_by_rank_up_to_without_avx512)) {
        boost::sort::pdqsort_branchless(row.begin(), row.end());
        return static_cast<std::size_t>(std::unique(row.begin(), row.end()) - row.begin());
    }
    return sixteen_wide ? sort_by_rank_sixteen_wide(row) : sort_by_rank_eight_wide(row);
}

}  // namespace reachsim
