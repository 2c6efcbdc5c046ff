#include "runs/run_scenario.hpp"

#include <tbb/task_arena.h>

#include <chrono>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "engine/simulate.hpp"
#include "hdf5/hdf5_writer.hpp"
#include "runs/world_builder.hpp"

namespace reachsim {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

RunResult simulate_scenario(const Scenario& scenario, const Execution& execution) {
    const Model& model = scenario.model;
    const std::uint64_t seed = scenario.run.seed;
    RunResult result;
    result.threads = execution.threads > 0 ? static_cast<int>(execution.threads)
                                           : tbb::this_task_arena::max_concurrency();
    tbb::task_arena arena(result.threads);
    arena.execute([&] {
        auto start = std::chrono::steady_clock::now();
        result.world = build_world(model, seed, execution.memory_limit_bytes, scenario.path);
        result.build_seconds = seconds_since(start);
        start = std::chrono::steady_clock::now();
        const auto replicates = static_cast<std::size_t>(scenario.run.replicates);
        result.records.resize(replicates);
        auto simulate = [&](std::size_t r) {
            result.records[r] =
                simulate_replicate(model, result.world, seed, static_cast<std::uint32_t>(r));
        };
        if (model.is_star()) {
            parallel_for_each_index(0, replicates, simulate);
        } else {
            for (std::size_t r = 0; r < replicates; ++r) {
                simulate(r);
            }
        }
        result.simulate_seconds = seconds_since(start);
        result.summary = summarise(model, result.world, result.records);
    });
    return result;
}

void validate_scenario(const Scenario& scenario, const Execution& execution) {
    if (std::holds_alternative<GraphFile>(scenario.model.audience.source)) {
        build_world(scenario.model, scenario.run.seed, execution.memory_limit_bytes, scenario.path);
    } else if (scenario.model.audience.is_generated()) {
        check_generated_graph_memory(scenario.model, execution.memory_limit_bytes);
    }
}

RunResult run_scenario(const Scenario& scenario, const Execution& execution,
                       const std::string& command_line) {
    check_output_path(scenario.run.output_path);  // before the simulation, not after it
    RunResult result = simulate_scenario(scenario, execution);
    const RunMetadata metadata{
        command_line,      scenario.text,           resolved_scenario_toml(scenario),
        scenario.run.seed, scenario.run.replicates, result.threads};
    write_run(scenario.run.output_path, metadata, scenario.model, result.world, result.records,
              result.summary);
    return result;
}

}  // namespace reachsim
