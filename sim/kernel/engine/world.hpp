// Everything a run simulates on, built once (by the run layer) from a Model: who follows whom,
// every account's parameters, and the tracked authors with their followers. In a star there is no
// graph: account 0 is the author and every other account follows it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "activity/accounts.hpp"
#include "core/calendar.hpp"
#include "graph/follower_graph.hpp"

namespace reachsim {

struct World {
    FollowerGraph graph;                    // empty for a star
    std::vector<std::string> original_ids;  // file graphs: the ids as written; else empty
    EdgeCleanup cleanup;
    std::string source_sha256;  // file graphs
    Accounts accounts;
    std::vector<AccountIndex> tracked_authors;                 // ascending
    std::vector<std::vector<AccountIndex>> tracked_followers;  // per tracked author, ascending
};

// The calendar of campaign metrics: local time of the first tracked author (a star's author).
RunCalendar run_calendar(const Model& model, const World& world);

// A star's world: the author and its followers, segment by segment.
World star_world(const Model& model, std::uint64_t seed);

}  // namespace reachsim
