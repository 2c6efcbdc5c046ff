// Single-author engine throughput: (post, follower) pairs resolved per second on the bundled
// greencontact scenario, with its feed set to a constant background of 150 or 15,000 items an
// hour. The engine draws background between moments of interest as Poisson counts, so the two
// should cost about the same.
#include <benchmark/benchmark.h>

#include <string>

#include "engine/single_author.hpp"
#include "scenario/scenario.hpp"

namespace {

void resolve_pairs(benchmark::State& state) {
    const std::string per_hour = std::to_string(state.range(0));
    const auto scenario = reachsim::load_scenario(
        std::string(REACHSIM_SOURCE_DIR) + "/scenarios/greencontact.toml",
        {{"followers.feed.per_hour", per_hour}, {"followers.feed.profile", "flat"}});
    std::int64_t pairs = 0;
    std::uint32_t replicate = 0;
    for (auto _ : state) {
        const auto result =
            reachsim::simulate_replicate(scenario.model, scenario.run.seed, replicate++);
        benchmark::DoNotOptimize(result.post_impressions.data());
        pairs += static_cast<std::int64_t>(result.post_count()) * scenario.model.follower_count();
    }
    state.counters["pairs_per_second"] =
        benchmark::Counter(static_cast<double>(pairs), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(resolve_pairs)->Arg(150)->Arg(15000)->Unit(benchmark::kMillisecond)->MinTime(2.0);
