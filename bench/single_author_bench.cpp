// Single-author (star) throughput: (post, follower) pairs resolved per second on the bundled
// greencontact scenario, with its feed set to a constant background of 150 or 15,000 items an
// hour. Background between moments of interest is drawn as Poisson counts, so the two should cost
// about the same. Runs go through the run layer, as the CLI's do; the time counted is the
// simulation's (RunResult::simulate_seconds), one replicate on one thread.
#include <benchmark/benchmark.h>

#include <string>

#include "runs/run_scenario.hpp"

namespace {

void resolve_pairs(benchmark::State& state) {
    const std::string per_hour = std::to_string(state.range(0));
    auto scenario =
        reachsim::load_scenario(std::string(REACHSIM_SOURCE_DIR) + "/scenarios/greencontact.toml",
                                {{"followers.feed.per_hour", per_hour},
                                 {"followers.feed.profile", "flat"},
                                 {"simulation.replicates", "1"}});
    std::int64_t pairs = 0;
    for (auto _ : state) {
        ++scenario.run.seed;
        const auto result = reachsim::simulate_scenario(scenario, {1, 0});
        state.SetIterationTime(result.simulate_seconds);
        pairs += result.summary.posts *
                 static_cast<std::int64_t>(result.world.tracked_followers[0].size());
    }
    state.counters["pairs_per_second"] =
        benchmark::Counter(static_cast<double>(pairs), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(resolve_pairs)
    ->Arg(150)
    ->Arg(15000)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->MinTime(2.0);
