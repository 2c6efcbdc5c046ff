// Sorting one account's row of drawn followees and dropping the repeats: after the random numbers
// and their lookups, the largest part of generating a graph (docs/performance.md, "Short rows
// sorted by rank" and "Rows sorted by a network").
#pragma once

#include <cstddef>
#include <span>

#include "graph/follower_graph.hpp"

namespace reachsim {

// With AVX-512, rows up to this long are sorted by a sorting network in sixteen registers of
// sixteen ids; without it, rows up to the other cut by rank (n² comparisons, but without branches,
// and eight at once with AVX2: 96 was the fastest cut, and without AVX2 64 to 96 are alike).
// Longer rows are sorted by pattern-defeating quicksort.
inline constexpr std::size_t rows_sorted_by_network_up_to = 512;
inline constexpr std::size_t rows_sorted_by_rank_up_to_without_avx512 = 96;

// Which instructions sort_unique may use: the widest this processor has, or (for the tests, on a
// processor that has AVX-512) the narrower ones other processors take.
enum class RowSortInstructions { widest, without_avx512 };

// Sorts `row` and drops repeated ids; returns how many ids are kept, at the row's front in
// increasing order (what is past them is unspecified).
std::size_t sort_unique(std::span<AccountIndex> row,
                        RowSortInstructions instructions = RowSortInstructions::widest);

}  // namespace reachsim
