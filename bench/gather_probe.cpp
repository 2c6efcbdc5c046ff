// The machine's random-gather rate: independent 4-byte loads at random places in a 1 GiB table,
// on 1 and 2 threads. A delivery of the pull scheduler costs at least one such gather (a followee's
// post times), so deliveries per second over this rate says how close the engine runs to memory
// speed (docs/performance.md).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

namespace {

constexpr std::size_t table_entries = std::size_t{1} << 28;  // 1 GiB of 4-byte entries

const std::vector<std::uint32_t>& table() {
    static const std::vector<std::uint32_t> values = [] {
        std::vector<std::uint32_t> v(table_entries);
        for (std::size_t i = 0; i < v.size(); ++i) {
            v[i] = static_cast<std::uint32_t>(i * 2654435761u);
        }
        return v;
    }();
    return values;
}

void random_gather(benchmark::State& state) {
    const auto& values = table();
    // A xorshift sequence of positions: cheap to compute, independent loads the CPU can overlap.
    std::uint64_t x = 88172645463325252ull + static_cast<std::uint64_t>(state.thread_index());
    std::uint64_t sum = 0;
    constexpr int batch = 1 << 16;
    for (auto _ : state) {
        for (int i = 0; i < batch; ++i) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            sum += values[x & (table_entries - 1)];
        }
    }
    benchmark::DoNotOptimize(sum);
    state.counters["gathers_per_second"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * batch, benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(random_gather)->Threads(1)->Threads(2)->UseRealTime()->MinTime(2.0);
