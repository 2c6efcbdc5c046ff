// Which authors get full per-post records: explicit account ids, or selectors over the graph.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/follower_graph.hpp"

namespace reachsim {

// `selectors`: account ids (as in the edge list, or indices for generated graphs), or
// "top_followers:N", "random:N", "followers_percentile:P" (the account at the P-th percentile of
// follower counts). Returns distinct accounts, ascending. Throws input_error for an unknown id
// or a malformed selector, naming `where` (the scenario file).
std::vector<AccountIndex> select_tracked_authors(const std::vector<std::string>& selectors,
                                                 const FollowerGraph& graph,
                                                 const std::vector<std::string>& original_ids,
                                                 std::uint64_t seed, const std::string& where);

}  // namespace reachsim
