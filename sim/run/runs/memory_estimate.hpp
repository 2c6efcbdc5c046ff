// What a run's memory peaks at, estimated phase by phase from the sizes of the arrays each phase
// holds (docs/performance.md, "Memory"), so that a run too large for the machine is refused
// before it starts, with the estimate and the keys that drive it.
#pragma once

#include <cstdint>
#include <string>

#include "model/model.hpp"

namespace reachsim {

struct MemoryEstimate {
    std::uint64_t build_bytes = 0;     // building the graph and the accounts
    std::uint64_t simulate_bytes = 0;  // the world, every replicate's record, working memory
    std::uint64_t summary_bytes = 0;   // the world and records, plus summarising and writing

    [[nodiscard]] std::uint64_t peak_bytes() const;
};

// The shape of a run as far as memory goes. For a generated graph, `follows` is the expected
// number; for a loaded one, the actual number; for a star, 0.
struct RunSize {
    std::uint64_t accounts = 0;
    std::uint64_t follows = 0;
    std::uint64_t tracked_followers = 0;  // summed over tracked authors
    std::int64_t replicates = 1;
    int threads = 1;
};

MemoryEstimate estimate_run_memory(const Model& model, const RunSize& size);

// The events a run resolves, all replicates: (post, follower) deliveries and sessions drawn.
double estimated_events(const Model& model, const RunSize& size);

// More events than this would take days at the measured rates (docs/performance.md): a scenario
// asking for them is a mistake, not a run.
inline constexpr double most_events = 1e13;

// Throws input_error naming `scenario_path` and the keys that drive the estimate when the run
// would resolve more than most_events.
void check_run_work(double events, const Model& model, const std::string& scenario_path);

// Throws input_error naming `scenario_path` and the keys that drive the estimate when its peak
// exceeds `limit_bytes` (0: this machine's memory).
void check_run_memory(const MemoryEstimate& estimate, std::uint64_t limit_bytes, const Model& model,
                      const std::string& scenario_path);

}  // namespace reachsim
