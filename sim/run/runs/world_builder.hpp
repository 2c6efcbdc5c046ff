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
// `progress`, if given, hears how far an edge list has been read.
World build_world(const Model& model, std::uint64_t seed, std::uint64_t memory_limit_bytes,
                  const std::string& scenario_path, Progress* progress = nullptr);

// Physical memory of this machine.
std::uint64_t physical_memory_bytes();

}  // namespace reachsim
