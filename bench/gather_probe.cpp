// The machine's random-gather rate: independent 4-byte loads at random places in a 1 GiB table,
// on 1 and 2 threads. A delivery of the pull scheduler costs at least one such gather (a followee's
// post times), so deliveries per second over this rate says how close the engine runs to memory
// speed (docs/performance.md). The table is a large allocation, so it sits on huge pages like the
// engine's arrays (core/large_allocations.cpp).
//
// Also the cost of new memory: touching each 4 KiB of a fresh 256 MiB mapping, with 4 KiB pages
// or asking for 2 MiB ones. Every large array a run builds is new memory, and on these VMs a
// 4 KiB page's first touch is slow (docs/performance.md, "New memory on huge pages"). And a
// vector of 1 GiB of new memory resized as the generator did (its faults on one thread) and as
// it does now (`resize_prefaulted`: the pages faulted in on all threads first).
//
// And the graph generator's drawing of followees: random numbers from a Philox stream per follower,
// then a lookup at a random column of a 10 M-account alias table, with the lookups prefetched
// either one by one as they are drawn or in one burst per row, looked up a row later; and the
// sorting of the rows drawn.
#include <benchmark/benchmark.h>
#include <sys/mman.h>

#include <algorithm>
#include <boost/sort/pdqsort/pdqsort.hpp>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "core/pages.hpp"
#include "graph/generators.hpp"
#include "graph/row_sort.hpp"
#include "random/random_stream.hpp"

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

void resize_new_memory(benchmark::State& state) {
    constexpr std::size_t entries = std::size_t{1} << 28;  // 1 GiB of 4-byte ids
    const bool prefaulted = state.range(0) != 0;
    for (auto _ : state) {
        std::vector<std::uint32_t> follows;
        if (prefaulted) {
            reachsim::resize_prefaulted(follows, entries);
        } else {
            follows.resize(entries);
        }
        benchmark::DoNotOptimize(follows.data());
    }
    state.SetBytesProcessed(state.iterations() *
                            static_cast<std::int64_t>(entries * sizeof(std::uint32_t)));
}

const reachsim::AliasTable& alias_table() {
    static const reachsim::AliasTable table = [] {
        std::vector<double> weights(10'000'000);
        for (std::size_t i = 0; i < weights.size(); ++i) {
            weights[i] = 1.0 / static_cast<double>(i + 1);  // a power law, hubs first
        }
        return reachsim::AliasTable(weights);
    }();
    return table;
}

// Rows of 33 followees (the Twitter-2010 scenario's mean), one Philox stream per row as in the
// generator; range(0) = 0: each lookup prefetched as it is drawn, looked up once the row (in
// batches of 32) is drawn; 1: a row's lookups prefetched in one burst once it is drawn, looked up
// after the next row is drawn.
void followee_draws(benchmark::State& state) {
    const auto& table = alias_table();
    const bool burst = state.range(0) != 0;
    constexpr std::size_t row_length = 33;
    constexpr std::size_t batch = 32;
    std::vector<reachsim::AliasTable::Draw> drawn(row_length);
    std::vector<reachsim::AliasTable::Draw> previous(row_length);
    std::vector<std::uint32_t> row(row_length);
    std::uint32_t follower = 0;
    std::uint64_t sum = 0;
    for (auto _ : state) {
        reachsim::RandomStream random({1, 0, reachsim::StreamKind::graph_generation, follower++});
        if (burst) {
            for (auto& draw : drawn) {
                draw = table.draw(random);
            }
            for (const auto& draw : drawn) {
                table.prefetch(draw);
            }
            for (std::size_t k = 0; k < row_length; ++k) {
                row[k] = table.resolve(previous[k]);
            }
            std::swap(drawn, previous);
        } else {
            for (std::size_t first = 0; first < row_length; first += batch) {
                const std::size_t last = std::min(first + batch, row_length);
                for (std::size_t k = first; k < last; ++k) {
                    drawn[k] = table.draw(random);
                    table.prefetch(drawn[k]);
                }
                for (std::size_t k = first; k < last; ++k) {
                    row[k] = table.resolve(drawn[k]);
                }
            }
        }
        sum += row[follower % row_length];
    }
    benchmark::DoNotOptimize(sum);
    state.counters["draws_per_second"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(row_length),
        benchmark::Counter::kIsRate);
}

// Sorting and de-duplicating rows as the generator does: a million rows of lognormal length
// (the Twitter-2010 scenario's: mean 33.4, sigma 1) of ids at random among 10 M accounts.
// range(0) = 0: pattern-defeating quicksort and std::unique, as before; 1: sort_unique (short
// rows by a sorting network, or ranked without AVX-512: graph/row_sort.hpp).
void row_sort(benchmark::State& state) {
    const bool ranked = state.range(0) != 0;
    constexpr std::size_t rows = 1'000'000;
    reachsim::RandomStream random({1, 0, reachsim::StreamKind::graph_generation, 0});
    std::vector<std::size_t> offsets{0};
    for (std::size_t r = 0; r < rows; ++r) {
        const double length = std::exp(std::log(33.4) - 0.5 + random.standard_normal());
        offsets.push_back(offsets.back() + static_cast<std::size_t>(std::llround(length)));
    }
    std::vector<reachsim::AccountIndex> drawn(offsets.back());
    for (auto& id : drawn) {
        id = static_cast<reachsim::AccountIndex>(random.below(10'000'000));
    }
    std::vector<reachsim::AccountIndex> sorted;
    std::size_t kept = 0;
    for (auto _ : state) {
        state.PauseTiming();
        sorted = drawn;
        state.ResumeTiming();
        for (std::size_t r = 0; r < rows; ++r) {
            const std::span<reachsim::AccountIndex> row(sorted.data() + offsets[r],
                                                        sorted.data() + offsets[r + 1]);
            if (ranked) {
                kept += reachsim::sort_unique(row);
            } else {
                boost::sort::pdqsort_branchless(row.begin(), row.end());
                kept += static_cast<std::size_t>(std::unique(row.begin(), row.end()) - row.begin());
            }
        }
    }
    benchmark::DoNotOptimize(kept);
    state.counters["ids_per_second"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * static_cast<double>(drawn.size()),
        benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(row_sort)->ArgName("ranked")->Arg(0)->Arg(1)->UseRealTime()->MinTime(2.0);
BENCHMARK(followee_draws)->ArgName("burst")->Arg(0)->Arg(1)->UseRealTime()->MinTime(2.0);
BENCHMARK(first_touch)->ArgName("huge_pages")->Arg(0)->Arg(1)->UseRealTime();
BENCHMARK(resize_new_memory)->ArgName("prefaulted")->Arg(0)->Arg(1)->UseRealTime();
BENCHMARK(random_gather)->Threads(1)->Threads(2)->UseRealTime()->MinTime(2.0);
