// Graph benchmarks: building the world of a generated power-law graph (follows per second, bytes
// per follow) and simulating one day on it (deliveries resolved per second) on 1 and 2 threads.
// The graph is scenarios/small-power-law.toml scaled to 200,000 accounts (~10 M follows). Runs go
// through the run layer, as the CLI's do; simulations count RunResult::simulate_seconds. And the
// /graph statistics of power-law-1m's graph, which every graph run writes.
#include <benchmark/benchmark.h>

#include <tbb/task_arena.h>

#include <string>

#include "graph/graph_summary.hpp"
#include "runs/run_scenario.hpp"
#include "runs/world_builder.hpp"

namespace {

reachsim::Scenario bench_scenario() {
    return reachsim::load_scenario(
        std::string(REACHSIM_SOURCE_DIR) + "/scenarios/small-power-law.toml",
        {{"graph.accounts", "200000"}, {"simulation.replicates", "1"}});
}

void build_graph(benchmark::State& state) {
    const auto scenario = bench_scenario();
    const auto threads = static_cast<int>(state.range(0));
    std::uint64_t follows = 0;
    double bytes_per_follow = 0;
    for (auto _ : state) {
        tbb::task_arena arena(threads);
        arena.execute([&] {
            const auto world =
                reachsim::build_world(scenario.model, scenario.run.seed, 0, scenario.path);
            follows += world.graph.follow_count();
            bytes_per_follow =
                static_cast<double>(reachsim::estimated_graph_bytes(
                    world.graph.account_count(), world.graph.follow_count(), false)) /
                static_cast<double>(world.graph.follow_count());
        });
    }
    state.counters["follows_per_second"] =
        benchmark::Counter(static_cast<double>(follows), benchmark::Counter::kIsRate);
    state.counters["bytes_per_follow"] = bytes_per_follow;
}

// Simulates `scenario` once per iteration, timing the simulation alone.
void simulate(benchmark::State& state, const reachsim::Scenario& scenario, std::int64_t threads) {
    std::uint64_t deliveries = 0;
    for (auto _ : state) {
        const auto result = reachsim::simulate_scenario(scenario, {threads, 0});
        state.SetIterationTime(result.simulate_seconds);
        deliveries += result.summary.deliveries;
    }
    state.counters["deliveries_per_second"] =
        benchmark::Counter(static_cast<double>(deliveries), benchmark::Counter::kIsRate);
}

void simulate_day(benchmark::State& state) {
    simulate(state, bench_scenario(), state.range(0));
}

// Cascades on scenarios/cascades-small.toml scaled to 20,000 accounts, on 2 threads: without
// retweets (the pull scheduler), with every retweet probability 0 (the cascade scheduler doing no
// more than the pull one), and with retweets.
enum class CascadeMode { none, zero_probability, retweets };

void simulate_cascades(benchmark::State& state) {
    auto scenario =
        reachsim::load_scenario(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/cascades-small.toml",
                                {{"graph.accounts", "20000"}, {"simulation.replicates", "1"}});
    const auto mode = static_cast<CascadeMode>(state.range(0));
    if (mode == CascadeMode::zero_probability) {
        for (auto& segment : scenario.model.segments) {
            segment.retweet_probability = reachsim::Distribution::fixed_at(0);
        }
    } else if (mode == CascadeMode::none) {
        scenario.model.retweets.reset();
        for (auto& segment : scenario.model.segments) {
            segment.retweet_probability = reachsim::Distribution::fixed_at(0);
        }
    }
    simulate(state, scenario, 2);
}

// The /graph statistics of scenarios/power-law-1m.toml's graph (54.9 M follows) on 2 threads:
// reciprocity exact (a row lookup per follow to a higher account) or sampled (10 M follows).
void summarise_graph(benchmark::State& state) {
    static const auto world = [] {
        const auto scenario = reachsim::load_scenario(
            std::string(REACHSIM_SOURCE_DIR) + "/scenarios/power-law-1m.toml", {});
        return reachsim::build_world(scenario.model, scenario.run.seed, 0, scenario.path);
    }();
    const bool exact = state.range(0) == 1;
    tbb::task_arena arena(2);
    for (auto _ : state) {
        arena.execute([&] {
            benchmark::DoNotOptimize(
                reachsim::summarise_graph(world.graph, exact ? world.graph.follow_count() : 0));
        });
    }
    // Exact: the graph's follows per second; sampled: its lookups per second.
    const double per_iteration =
        static_cast<double>(exact ? world.graph.follow_count() : reachsim::reciprocity_sample_size);
    state.counters[exact ? "follows_per_second" : "lookups_per_second"] = benchmark::Counter(
        per_iteration * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(summarise_graph)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(simulate_cascades)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->MinTime(3.0);
BENCHMARK(build_graph)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(simulate_day)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->MinTime(3.0);
