// The engine's one entry point: simulate one replicate of a model on its world. The scheduler
// follows the audience — a star (one author's followers), pull per follower (graphs without
// retweets), conservative windows (cascades) — and all three resolve feeds with engine/feed.hpp
// and return the same record. Results depend on (model, world, seed, replicate) only, never on
// threads: the caller owns the thread pool and the replicate loop.
#pragma once

#include <cstdint>

#include "engine/record.hpp"
#include "engine/world.hpp"
#include "model/model.hpp"

namespace reachsim {

ReplicateRecord simulate_replicate(const Model& model, const World& world, std::uint64_t seed,
                                   std::uint32_t replicate);

// The schedulers (simulate.cpp dispatches; exposed for their benchmarks and tests).
ReplicateRecord simulate_star(const Model& model, const World& world, std::uint64_t seed,
                              std::uint32_t replicate);
ReplicateRecord simulate_pull(const Model& model, const World& world, std::uint64_t seed,
                              std::uint32_t replicate);
ReplicateRecord simulate_cascades(const Model& model, const World& world, std::uint64_t seed,
                                  std::uint32_t replicate);

}  // namespace reachsim
