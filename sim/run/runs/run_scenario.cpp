#include "runs/run_scenario.hpp"

#include <tbb/task_arena.h>

#include <chrono>
#include <numeric>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "engine/simulate.hpp"
#include "graph/generators.hpp"
#include "hdf5/hdf5_writer.hpp"
#include "runs/memory_estimate.hpp"
#include "runs/world_builder.hpp"

namespace reachsim {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The run's size before its world is built: exact for a star, expected for a generated graph,
// unknown (0) for a file graph.
RunSize size_before_building(const Scenario& scenario, int threads) {
    const Model& model = scenario.model;
    RunSize size{0, 0, 0, scenario.run.replicates, threads};
    if (model.is_star()) {
        for (const auto& segment : model.segments) {
            size.accounts += static_cast<std::uint64_t>(segment.count);
        }
        size.tracked_followers = size.accounts;
        size.accounts += 1;  // the author
    } else if (model.audience.is_generated()) {
        size.accounts = generator_accounts(model.audience.source);
        size.follows = static_cast<std::uint64_t>(expected_generated_follows(model.audience));
    }
    return size;
}

RunSize size_of(const World& world, const Scenario& scenario, int threads) {
    RunSize size{world.accounts.size(), world.graph.follow_count(), 0, scenario.run.replicates,
                 threads};
    for (const auto& followers : world.tracked_followers) {
        size.tracked_followers += followers.size();
    }
    return size;
}

}  // namespace

int threads_to_use(const Execution& execution) {
    return execution.threads > 0 ? static_cast<int>(execution.threads)
                                 : tbb::this_task_arena::max_concurrency();
}

RunResult simulate_replicates(const Scenario& scenario, const Execution& execution,
                              const std::vector<std::uint32_t>& replicates, World* earlier) {
    const Model& model = scenario.model;
    const std::uint64_t seed = scenario.run.seed;
    RunResult result;
    result.threads = threads_to_use(execution);
    // A file graph's size is known once loaded (its loader checks the memory it needs itself).
    if (!std::holds_alternative<GraphFile>(model.audience.source)) {
        const RunSize size = size_before_building(scenario, result.threads);
        check_run_work(estimated_events(model, size), model, scenario.path);
        check_run_memory(estimate_run_memory(model, size), execution.memory_limit_bytes, model,
                         scenario.path);
    }
    auto start = std::chrono::steady_clock::now();
    result.world = build_world(model, seed, execution.memory_limit_bytes, scenario.path,
                               execution.progress, earlier);
    result.build_seconds = seconds_since(start);
    const RunSize size = size_of(result.world, scenario, result.threads);
    check_run_work(estimated_events(model, size), model, scenario.path);
    result.memory = estimate_run_memory(model, size);
    check_run_memory(result.memory, execution.memory_limit_bytes, model, scenario.path);
    start = std::chrono::steady_clock::now();
    result.records.resize(static_cast<std::size_t>(scenario.run.replicates));
    auto simulate = [&](std::size_t i) {
        if (execution.stop && execution.stop->load()) {
            throw interrupted();
        }
        result.records[replicates[i]] =
            simulate_replicate(model, result.world, seed, replicates[i]);
        if (execution.progress) {
            execution.progress->step_done();
        }
    };
    if (execution.progress) {
        execution.progress->start_phase("simulating replicates", replicates.size(), "replicates");
    }
    if (model.is_star()) {
        parallel_for_each_index(0, replicates.size(), simulate);
    } else {
        for (std::size_t i = 0; i < replicates.size(); ++i) {
            simulate(i);
        }
    }
    result.simulate_seconds = seconds_since(start);
    return result;
}

RunResult simulate_in_arena(const Scenario& scenario, const Execution& execution, World* earlier) {
    std::vector<std::uint32_t> all(static_cast<std::size_t>(scenario.run.replicates));
    std::iota(all.begin(), all.end(), std::uint32_t{0});
    RunResult result = simulate_replicates(scenario, execution, all, earlier);
    result.summary = summarise(scenario.model, result.world, result.records);
    return result;
}

RunResult simulate_scenario(const Scenario& scenario, const Execution& execution) {
    tbb::task_arena arena(threads_to_use(execution));
    return arena.execute([&] { return simulate_in_arena(scenario, execution); });
}

void validate_scenario(const Scenario& scenario, const Execution& execution) {
    const int threads = threads_to_use(execution);
    if (std::holds_alternative<GraphFile>(scenario.model.audience.source)) {
        const World world = build_world(scenario.model, scenario.run.seed,
                                        execution.memory_limit_bytes, scenario.path);
        const RunSize size = size_of(world, scenario, threads);
        check_run_work(estimated_events(scenario.model, size), scenario.model, scenario.path);
        check_run_memory(estimate_run_memory(scenario.model, size), execution.memory_limit_bytes,
                         scenario.model, scenario.path);
    } else {
        const RunSize size = size_before_building(scenario, threads);
        check_run_work(estimated_events(scenario.model, size), scenario.model, scenario.path);
        check_run_memory(estimate_run_memory(scenario.model, size), execution.memory_limit_bytes,
                         scenario.model, scenario.path);
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

ExpectedRunResult run_expected(const Scenario& scenario, const Execution& execution,
                               const std::string& command_line) {
    check_expectation_applies(scenario.model, scenario.path);
    check_output_path(scenario.run.output_path);
    ExpectedRunResult result;
    result.threads = threads_to_use(execution);
    tbb::task_arena arena(result.threads);
    arena.execute([&] {
        const auto start = std::chrono::steady_clock::now();
        result.world = build_world(scenario.model, scenario.run.seed, execution.memory_limit_bytes,
                                   scenario.path, execution.progress);
        result.build_seconds = seconds_since(start);
        const auto expect_start = std::chrono::steady_clock::now();
        result.expectation = expect_views(scenario.model, result.world);
        result.expect_seconds = seconds_since(expect_start);
    });
    const RunMetadata metadata{
        command_line,  scenario.text, resolved_scenario_toml(scenario), scenario.run.seed, 0,
        result.threads};
    write_expected(scenario.run.output_path, metadata, scenario.model, result.world,
                   result.expectation);
    return result;
}

}  // namespace reachsim
