// One run of a scenario, whatever its audience: build the world, simulate every replicate on a
// thread pool of the requested size, summarise, write. The CLI, the tests and the benchmarks all
// run scenarios through here.
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/errors.hpp"  // what a run throws: input_error (the user's), internal_error
#include "engine/expectation.hpp"
#include "engine/record.hpp"
#include "engine/world.hpp"
#include "metrics/summary.hpp"
#include "runs/memory_estimate.hpp"
#include "runs/progress.hpp"
#include "scenario/scenario.hpp"

namespace reachsim {

// How to execute a run, apart from what it simulates: results never depend on it.
struct Execution {
    std::int64_t threads = 0;              // 0: all cores
    std::uint64_t memory_limit_bytes = 0;  // 0: this machine's memory
    Progress* progress = nullptr;          // none: quiet
    // Checked between replicates: once set, the run stops with `interrupted`.
    const std::atomic<bool>* stop = nullptr;
};

// The worker threads an execution asks for (0: all cores).
int threads_to_use(const Execution& execution);

// A run stopped on request (Ctrl-C) before it finished.
class interrupted : public std::runtime_error {
  public:
    interrupted() : std::runtime_error("interrupted") {}
};

struct RunResult {
    World world;
    std::vector<ReplicateRecord> records;  // in replicate order
    Summary summary;
    int threads = 0;        // worker threads used
    MemoryEstimate memory;  // for the world as built
    double build_seconds = 0;
    double simulate_seconds = 0;
};

// Builds the world and simulates and summarises every replicate. Stars run their replicates in
// parallel; graphs run one replicate after another, each in parallel over accounts (so that one
// replicate's working memory is alive at a time).
RunResult simulate_scenario(const Scenario& scenario, const Execution& execution);

// The same inside the caller's TBB arena (sweeps run points side by side in one arena). With
// `earlier`, a world from the same graph inputs, its graph is taken instead of built (build_world).
RunResult simulate_in_arena(const Scenario& scenario, const Execution& execution,
                            World* earlier = nullptr);

// Builds the world and simulates only `replicates` (their records filled, the others left empty),
// in the caller's arena, without summarising: MPI ranks share a point's replicates this way.
RunResult simulate_replicates(const Scenario& scenario, const Execution& execution,
                              const std::vector<std::uint32_t>& replicates,
                              World* earlier = nullptr);

// Checks everything a run would check before simulating but the output path (given at run time):
// for a file graph the edge list, the attribute file and the tracked ids (by loading them); for a
// generated graph the memory estimate. Throws what a run would throw.
void validate_scenario(const Scenario& scenario, const Execution& execution);

// simulate_scenario, then writes scenario.run.output_path (atomically: an earlier result there
// survives any failure). `command_line` is recorded in the file.
RunResult run_scenario(const Scenario& scenario, const Execution& execution,
                       const std::string& command_line);

// Expectation mode (`reachsim run --expected`): the world, and the expected views of every
// tracked author's followers,
// computed rather than sampled (engine/expectation.hpp), written to scenario.run.output_path.
// Refuses (input_error) a model the mode cannot compute before building anything.
struct ExpectedRunResult {
    World world;
    Expectation expectation;
    int threads = 0;
    double build_seconds = 0;   // the world: graph, accounts, tracked followers
    double expect_seconds = 0;  // the expected values
};
ExpectedRunResult run_expected(const Scenario& scenario, const Execution& execution,
                               const std::string& command_line);

}  // namespace reachsim
