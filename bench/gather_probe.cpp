// The machine's random-gather rate: independent 4-byte loads at random places in a 1 GiB table,
// on 1 and 2 threads. A delivery of the pull scheduler costs at least one such gather (a followee's
// post times), so deliveries per second over this rate says how close the engine runs to memory
// speed (docs/performance.md). The table is a large allocation, so it sits on huge pages like the
// engine's arrays (core/large_allocations.cpp).
//
// Also the cost of new memory: touching each 4 KiB of a fresh 256 MiB mapping, with 4 KiB pages
// or asking for 2 MiB ones. Every large array a run builds is new memory, and on these VMs a
// 4 KiB page's first touch is slow (docs/performance.md, "New memory on huge pages").
#include <benchmark/benchmark.h>
#include <sys/mman.h>

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

void first_touch(benchmark::State& state) {
    constexpr std::size_t bytes = std::size_t{256} << 20;
    const bool huge_pages = state.range(0) != 0;
    for (auto _ : state) {
        void* mapping =
            mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapping == MAP_FAILED) {
            state.SkipWithError("mmap failed");
            return;
        }
        if (huge_pages) {
            madvise(mapping, bytes, MADV_HUGEPAGE);
        }
        auto* memory = static_cast<volatile char*>(mapping);
        for (std::size_t offset = 0; offset < bytes; offset += 4096) {
            memory[offset] = 1;
        }
        munmap(mapping, bytes);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

}  // namespace

BENCHMARK(first_touch)->ArgName("huge_pages")->Arg(0)->Arg(1)->UseRealTime();
BENCHMARK(random_gather)->Threads(1)->Threads(2)->UseRealTime()->MinTime(2.0);
