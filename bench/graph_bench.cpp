// Graph benchmarks: generating a power-law follower graph (follows per second, bytes per follow)
// and simulating one day on it (deliveries resolved per second) on 1 and 2 threads. The graph is
// scenarios/small-power-law.toml scaled to 200,000 accounts (~10 M follows).
#include <benchmark/benchmark.h>

#include <tbb/task_arena.h>

#include <string>

#include "engine/graph_engine.hpp"
#include "engine/graph_world.hpp"
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

}  // namespace

BENCHMARK(build_graph)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
BENCHMARK(simulate_day)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3.0);
