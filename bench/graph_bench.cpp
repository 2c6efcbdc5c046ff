// Graph benchmarks: generating a power-law follower graph (follows per second, bytes per follow)
// and simulating one day on it (deliveries resolved per second) on 1 and 2 threads. The graph is
// scenarios/small-power-law.toml scaled to 200,000 accounts (~10 M follows).
#include <benchmark/benchmark.h>

#include <tbb/task_arena.h>

#include <string>

#include "engine/graph_engine.hpp"
#include "runs/world_builder.hpp"
#include "scenario/scenario.hpp"

namespace {

const reachsim::Scenario& bench_scenario() {
    static const reachsim::Scenario scenario = reachsim::load_scenario(
        std::string(REACHSIM_SOURCE_DIR) + "/scenarios/small-power-law.toml",
        {{"graph.accounts", "200000"}, {"simulation.replicates", "1"}});
    return scenario;
}

void build_graph(benchmark::State& state) {
    const auto& scenario = bench_scenario();
    const auto threads = static_cast<int>(state.range(0));
    std::uint64_t follows = 0;
    double bytes_per_follow = 0;
    for (auto _ : state) {
        tbb::task_arena arena(threads);
        arena.execute([&] {
            const auto world =
                reachsim::build_graph_world(*scenario.graph, scenario.run.seed, 0, scenario.path);
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

void simulate_day(benchmark::State& state) {
    const auto& scenario = bench_scenario();
    static const auto world =
        reachsim::build_graph_world(*scenario.graph, scenario.run.seed, 0, scenario.path);
    std::uint64_t deliveries = 0;
    for (auto _ : state) {
        const auto results = reachsim::simulate_graph(*scenario.graph, world,
                                                      {scenario.run.seed, 1, state.range(0)});
        deliveries += results.deliveries;
    }
    state.counters["deliveries_per_second"] =
        benchmark::Counter(static_cast<double>(deliveries), benchmark::Counter::kIsRate);
}

// Cascades on scenarios/cascades-small.toml scaled to 20,000 accounts: the graph engine (no
// retweets), the cascade engine with every retweet probability 0, and with retweets.
enum class CascadeMode { none, zero_probability, retweets };

void simulate_cascades(benchmark::State& state) {
    static const reachsim::Scenario scenario =
        reachsim::load_scenario(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/cascades-small.toml",
                                {{"graph.accounts", "20000"}, {"simulation.replicates", "1"}});
    const auto mode = static_cast<CascadeMode>(state.range(0));
    reachsim::GraphModel model = *scenario.graph;
    if (mode == CascadeMode::zero_probability) {
        for (auto& segment : model.segments) {
            segment.retweet_probability = reachsim::Distribution{};
        }
    }
    // Retweet probabilities are drawn into the accounts when the world is built.
    const auto world = reachsim::build_graph_world(model, scenario.run.seed, 0, scenario.path);
    if (mode == CascadeMode::none) {
        model.retweets.reset();
    }
    std::uint64_t deliveries = 0;
    for (auto _ : state) {
        const reachsim::GraphEngineSettings settings{scenario.run.seed, 1, 2};
        deliveries +=
            (mode == CascadeMode::none ? reachsim::simulate_graph(model, world, settings)
                                       : reachsim::simulate_cascades(model, world, settings))
                .deliveries;
    }
    state.counters["deliveries_per_second"] =
        benchmark::Counter(static_cast<double>(deliveries), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(simulate_cascades)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(3.0);
BENCHMARK(build_graph)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(simulate_day)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
