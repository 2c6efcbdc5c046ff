// Which authors get full per-post records: explicit account ids, or selectors over the graph.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/follower_graph.hpp"
#include "model/model.hpp"

namespace reachsim {

// Account ids (as in the edge list, or indices for generated graphs), the N accounts with most
// followers, N at random, or the account at the P-th percentile of follower counts. Returns
// distinct accounts, ascending. Throws input_error for an id not in the graph or more accounts
// than it has, naming `where` (the scenario file) and track.authors.
std::vector<AccountIndex> select_tracked_authors(const std::vector<AuthorSelector>& selectors,
                                                 const FollowerGraph& graph,
                                                 const std::vector<std::string>& original_ids,
                                                 std::uint64_t seed, const std::string& where);

// The followers of each of `authors` (ascending, distinct), each list ascending.
std::vector<std::vector<AccountIndex>> followers_of_each(const FollowerGraph& graph,
                                                         const std::vector<AccountIndex>& authors);

}  // namespace reachsim
