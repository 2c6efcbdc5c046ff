// Builds the world a graph scenario runs on: loads the edge list (and attribute file) or runs the
// generator, checks the memory estimate, draws every account's parameters and selects the tracked
// authors.
#pragma once

#include <cstdint>
#include <string>

#include "engine/graph_world.hpp"
#include "model/graph_model.hpp"

namespace reachsim {

// `memory_limit_bytes` 0 means this machine's physical memory. `scenario_path` is used in
// messages about the [track] and [accounts] sections.
GraphWorld build_graph_world(const GraphModel& model, std::uint64_t seed,
                             std::uint64_t memory_limit_bytes, const std::string& scenario_path);

// Physical memory of this machine.
std::uint64_t physical_memory_bytes();

}  // namespace reachsim
