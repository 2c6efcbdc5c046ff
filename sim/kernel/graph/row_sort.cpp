#include "graph/row_sort.hpp"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <boost/sort/pdqsort/pdqsort.hpp>
#include <cstdint>
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

// A bitonic sorting network over `registers` AVX-512 registers of sixteen ids each (Batcher
// 1968): for each size k of the sorted runs being merged, 2 to 16 * registers, compare-exchange
// the ids at distance j = k/2, k/4, ..., 1, ascending where an id's index has its k bit clear and
// descending where set. Distances of 16 or more pair whole registers; shorter ones pair lanes of a
// register, through a permutation. Every step is branch-free and independent of the values.
namespace network {

constexpr std::size_t lanes = 16;
// The masked forms with every lane selected: the same instructions, but GCC 12's unmasked
// intrinsics read an "undefined" vector that -Wuninitialized flags (as in random_stream.cpp).
constexpr __mmask16 every_lane = 0xFFFF;

// The lanes of register `r` that keep the larger of their pair at distance j, in runs of size k.
constexpr __mmask16 larger_lanes(std::size_t j, std::size_t k, std::size_t r) {
    unsigned mask = 0;
    for (std::size_t lane = 0; lane < lanes; ++lane) {
        const std::size_t index = lanes * r + lane;
        const bool ascending = (index & k) == 0;
        const bool first_of_pair = (index & j) == 0;
        mask |= first_of_pair != ascending ? 1u << lane : 0u;
    }
    return static_cast<__mmask16>(mask);
}

template <std::size_t registers, std::size_t k, std::size_t j>
__attribute__((target("avx512f"), always_inline)) inline void compare_exchange(
    __m512i (&ids)[registers]) {
    if constexpr (j >= lanes) {
        constexpr std::size_t apart = j / lanes;
#pragma GCC unroll 32
        for (std::size_t r = 0; r < registers; ++r) {
            if ((r & apart) == 0) {
                const __m512i smaller = _mm512_maskz_min_epu32(every_lane, ids[r], ids[r + apart]);
                const __m512i larger = _mm512_maskz_max_epu32(every_lane, ids[r], ids[r + apart]);
                const bool ascending = ((lanes * r) & k) == 0;
                ids[r] = ascending ? smaller : larger;
                ids[r + apart] = ascending ? larger : smaller;
            }
        }
    } else {
        alignas(64) static constexpr auto partner = [] {
            std::array<std::uint32_t, lanes> lane_of{};
            for (std::size_t lane = 0; lane < lanes; ++lane) {
                lane_of[lane] = static_cast<std::uint32_t>(lane ^ j);
            }
            return lane_of;
        }();
        const __m512i permutation = _mm512_load_si512(partner.data());
#pragma GCC unroll 32
        for (std::size_t r = 0; r < registers; ++r) {
            const __m512i other = _mm512_maskz_permutexvar_epi32(every_lane, permutation, ids[r]);
            ids[r] = _mm512_mask_blend_epi32(larger_lanes(j, k, r),
                                             _mm512_maskz_min_epu32(every_lane, ids[r], other),
                                             _mm512_maskz_max_epu32(every_lane, ids[r], other));
        }
    }
}

template <std::size_t registers, std::size_t k, std::size_t j>
__attribute__((target("avx512f"), always_inline)) inline void merge_runs(
    __m512i (&ids)[registers]) {
    compare_exchange<registers, k, j>(ids);
    if constexpr (j > 1) {
        merge_runs<registers, k, j / 2>(ids);
    }
}

template <std::size_t registers, std::size_t k = 2>
__attribute__((target("avx512f"), always_inline)) inline void sort(__m512i (&ids)[registers]) {
    merge_runs<registers, k, k / 2>(ids);
    if constexpr (k < lanes * registers) {
        sort<registers, 2 * k>(ids);
    }
}

// Loads the row (the places past its end as the empty id, which sorts last), sorts it, and stores
// each id that differs from the one before it, packed, over the row's front.
template <std::size_t registers>
__attribute__((target("avx512f"), always_inline)) inline std::size_t sort_unique(
    std::span<AccountIndex> row) {
    constexpr auto empty = static_cast<int>(std::numeric_limits<AccountIndex>::max());
    const __m512i empties = _mm512_set1_epi32(empty);
    __m512i ids[registers];
#pragma GCC unroll 32
    for (std::size_t r = 0; r < registers; ++r) {
        const std::size_t first = lanes * r;
        const std::size_t present = row.size() > first ? std::min(lanes, row.size() - first) : 0;
        ids[r] = present == 0
                     ? empties
                     : _mm512_mask_loadu_epi32(empties, static_cast<__mmask16>((1u << present) - 1),
                                               row.data() + first);
    }
    sort<registers>(ids);
    std::size_t kept = 0;
#pragma GCC unroll 32
    for (std::size_t r = 0; r < registers; ++r) {
        // Each id beside the one before it: the last of the register before, then lanes 0 to 14.
        const __m512i before =
            _mm512_maskz_alignr_epi32(every_lane, ids[r], r == 0 ? empties : ids[r - 1], 15);
        const __mmask16 first_of_its_value =
            static_cast<__mmask16>(_mm512_cmpneq_epu32_mask(ids[r], before) | (r == 0 ? 1u : 0u));
        const __mmask16 keep = first_of_its_value & _mm512_cmpneq_epu32_mask(ids[r], empties);
        const auto count = static_cast<std::size_t>(__builtin_popcount(keep));
        _mm512_mask_storeu_epi32(row.data() + kept, static_cast<__mmask16>((1u << count) - 1),
                                 _mm512_maskz_compress_epi32(keep, ids[r]));
        kept += count;
    }
    return kept;
}

}  // namespace network

__attribute__((target("avx512f"))) std::size_t sort_by_network_sixteen_wide(
    std::span<AccountIndex> row) {
    static_assert(rows_sorted_by_network_up_to == 32 * network::lanes);
    if (row.size() <= 16) {
        return network::sort_unique<1>(row);
    }
    if (row.size() <= 32) {
        return network::sort_unique<2>(row);
    }
    if (row.size() <= 64) {
        return network::sort_unique<4>(row);
    }
    if (row.size() <= 128) {
        return network::sort_unique<8>(row);
    }
    if (row.size() <= 256) {
        return network::sort_unique<16>(row);
    }
    return network::sort_unique<32>(row);
}

}  // namespace

std::size_t sort_unique(std::span<AccountIndex> row, RowSortInstructions instructions) {
    const bool sixteen_wide = processor_has_avx512() && instructions == RowSortInstructions::widest;
    if (row.size() >
        (sixteen_wide ? rows_sorted_by_network_up_to : rows_sorted_by_rank_up_to_without_avx512)) {
        boost::sort::pdqsort_branchless(row.begin(), row.end());
        return static_cast<std::size_t>(std::unique(row.begin(), row.end()) - row.begin());
    }
    return sixteen_wide ? sort_by_network_sixteen_wide(row) : sort_by_rank_eight_wide(row);
}

}  // namespace reachsim
