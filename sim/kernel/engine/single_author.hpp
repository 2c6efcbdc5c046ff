// The single-author engine: one author, their followers, implicit chronological feeds.
// Each follower's feed is resolved exactly but only at moments that matter (the author's posts
// and the follower's sessions while a post is still within scroll reach); background items in
// between are drawn as Poisson counts, so cost does not grow with background volume.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/results.hpp"
#include "model/model.hpp"

namespace reachsim {

struct EngineSettings {
    std::uint64_t seed = 1;
    std::int64_t replicates = 1;
    std::int64_t threads = 0;  // 0: all cores
};

// Simulates every replicate; results are in replicate order and identical for any thread count.
std::vector<ReplicateResult> simulate_single_author(const Model& model,
                                                    const EngineSettings& settings);

// Simulates one replicate (exposed for benchmarks and tests).
ReplicateResult simulate_replicate(const Model& model, std::uint64_t seed, std::uint32_t replicate);

// The segment index of every follower, followers numbered segment by segment.
std::vector<std::uint32_t> follower_segments(const Model& model);

}  // namespace reachsim
