// Builds the world a scenario runs on: for a star, the author and its followers; for a graph,
// loads the edge list (and attribute file) or runs the generator, checks the memory estimate,
// draws every account's parameters and selects the tracked authors.
#pragma once

#include <cstdint>
#include <string>

#include "engine/world.hpp"
#include "model/model.hpp"
#include "runs/progress.hpp"

namespace reachsim {

// `memory_limit_bytes` 0 means this machine's physical memory. `scenario_path` is used in
// messages about the [track] and [accounts] sections.
// `progress`, if given, hears how far an edge list has been read. `earlier`, if given, is a world
// built from the same graph inputs (same_graph_inputs): its graph and the accounts' segments are
// taken from it (moved out) instead of being built again; everything else is drawn anew.
World build_world(const Model& model, std::uint64_t seed, std::uint64_t memory_limit_bytes,
                  const std::string& scenario_path, Progress* progress = nullptr,
                  World* earlier = nullptr);

// Whether two graph scenarios build the same graph and segments: the same audience (generator
// and its parameters, or file), seed, and segment names, counts and shares.
bool same_graph_inputs(const Model& a, std::uint64_t seed_a, const Model& b, std::uint64_t seed_b);

// Physical memory of this machine.
std::uint64_t physical_memory_bytes();

}  // namespace reachsim
