// Sorting one account's row of drawn followees and dropping the repeats: after the random numbers
// and their lookups, the largest part of generating a graph (docs/performance.md, "Short rows
// sorted by rank").
#pragma once

#include <cstddef>
#include <span>

#include "graph/follower_graph.hpp"

namespace reachsim {

// Rows up to this long are sorted by rank: n² comparisons, but without branches, and vectorised;
// longer ones by pattern-defeating quicksort. With AVX-512 (sixteen ids compared at once) 384 was
// the fastest cut for the Twitter-2010 scenario's lognormal rows (mean 33): 1.17x the ids sorted
// per second with a cut at 96; with AVX2 (eight at once) 96 was, and without it 64 to 96 are alike.
inline constexpr std::size_t rows_sorted_by_rank_up_to = 384;
inline constexpr std::size_t rows_sorted_by_rank_up_to_without_avx512 = 96;

// Which instructions sort_unique may use: the widest this processor has, or (for the tests, on a
// processor that has AVX-512) the narrower ones other processors take.
enum class RowSortInstructions { widest, without_avx512 };

// Sorts `row` and drops repeated ids; returns how many ids are kept, at the row's front in
// increasing order (what is past them is unspecified).
std::size_t sort_unique(std::span<AccountIndex> row,
                        RowSortInstructions instructions = RowSortInstructions::widest);

}  // namespace reachsim
