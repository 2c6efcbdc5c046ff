// Everything a graph simulation runs on (built by the run layer from a GraphModel): the follower graph (loaded or
// generated), every account's parameters, and the tracked authors with their followers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "activity/accounts.hpp"
#include "graph/follower_graph.hpp"
#include "model/graph_model.hpp"

namespace reachsim {

struct GraphWorld {
    FollowerGraph graph;
    std::vector<std::string> original_ids;  // file graphs: the ids as written; empty for generated
    EdgeCleanup cleanup;
    std::string source_sha256;  // file graphs
    Accounts accounts;
    std::vector<AccountIndex> tracked_authors;                 // ascending
    std::vector<std::vector<AccountIndex>> tracked_followers;  // per tracked author, ascending
};

}  // namespace reachsim
