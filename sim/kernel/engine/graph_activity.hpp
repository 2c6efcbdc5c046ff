// What every replicate of a graph run draws and every graph engine shares: all accounts' post
// times (from streams keyed by author), and each account's feed parameters.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/feed.hpp"
#include "engine/graph_world.hpp"
#include "model/graph_model.hpp"

namespace reachsim {

// Every account's posts in [0, end), as rows of a CSR by author, ascending in time.
struct PostTimes {
    std::vector<std::uint64_t> offsets;
    std::vector<double> times;
};

PostTimes draw_post_times(const GraphWorld& world, double end, std::uint64_t seed,
                          std::uint32_t replicate);

FeedParameters feed_parameters(const GraphModel& model, const Accounts& accounts,
                               AccountIndex account);

}  // namespace reachsim
