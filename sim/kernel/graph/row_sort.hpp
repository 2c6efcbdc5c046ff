// Sorting one account's row of drawn followees and dropping the repeats: after the random numbers
// and their lookups, the largest part of generating a graph (docs/performance.md, "Short rows
// sorted by rank").
#pragma once

#include <cstddef>
#include <span>

#include "graph/follower_graph.hpp"

namespace reachsim {

// Rows up to this long are sorted by rank: n² comparisons, but without branches, and vectorised;
// longer ones by pattern-defeating quicksort. 96 was the fastest cut for the Twitter-2010
// scenario's lognormal rows (mean 33) with AVX2; without it, 64 to 96 are alike.
inline constexpr std::size_t rows_sorted_by_rank_up_to = 96;

// Sorts `row` and drops repeated ids; returns how many ids are kept, at the row's front in
// increasing order (what is past them is unspecified).
std::size_t sort_unique(std::span<AccountIndex> row);

}  // namespace reachsim
