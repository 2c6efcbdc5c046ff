// Our CSR (graph/follower_graph.hpp) against Boost.Graph's compressed_sparse_row_graph with 32-bit
// vertex and edge indices, one direction (followees), on the same follows: build time from
// unsorted (follower, followee) pairs, heap bytes per follow, and scan speed (every follow read
// once, as the pull scheduler's gather does). docs/model.md keeps the table.
//
// The follows: 1 M accounts, 20 follows each on average (lognormal), followees drawn with a
// power-law preference (as the generators do), duplicates and self-loops removed first, so both
// structures hold exactly the same follows. Ours also sorts each row (the engine relies on it);
// Boost's builder is given the same sorted pairs, which it needs no further sorting for.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "graph/follower_graph.hpp"

namespace {

using reachsim::AccountIndex;
using Pairs = std::vector<std::pair<AccountIndex, AccountIndex>>;
using BoostCsr =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, std::uint32_t, std::uint32_t>;

constexpr std::size_t accounts = 1'000'000;

// Cleaned follows, sorted by follower then followee.
const Pairs& follows() {
    static const Pairs pairs = [] {
        std::mt19937_64 engine(2010);
        std::lognormal_distribution<double> following(std::log(20.0) - 0.5, 1.0);
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        Pairs drawn;
        for (AccountIndex follower = 0; follower < accounts; ++follower) {
            const auto count = static_cast<std::size_t>(following(engine));
            for (std::size_t i = 0; i < count; ++i) {
                // P(followee rank r) ~ r^-0.8: a few accounts followed by many.
                const double rank = std::pow(uniform(engine), 1 / 0.2);
                drawn.emplace_back(follower, static_cast<AccountIndex>(rank * (accounts - 1)));
            }
        }
        reachsim::EdgeCleanup cleanup;
        const auto graph = reachsim::graph_from_pairs(accounts, drawn, cleanup);
        Pairs cleaned;
        for (AccountIndex a = 0; a < accounts; ++a) {
            for (AccountIndex followee : graph.followees_of(a)) {
                cleaned.emplace_back(a, followee);
            }
        }
        return cleaned;
    }();
    return pairs;
}

// Bytes in use on the heap, mmap-ed blocks (where large vectors live) included.
std::size_t heap_bytes() {
    const auto info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

// Times `build` (unsorted pairs -> a graph; returns its follows) alone, and the heap it keeps.
template <typename Build>
void time_build(benchmark::State& state, Build build) {
    double bytes = 0;
    for (auto _ : state) {
        state.PauseTiming();
        Pairs pairs = follows();
        std::shuffle(pairs.begin(), pairs.end(), std::mt19937_64(1));
        const std::size_t before = heap_bytes() - pairs.capacity() * sizeof(pairs[0]);
        state.ResumeTiming();
        const auto graph = build(pairs);
        state.PauseTiming();
        Pairs().swap(pairs);
        bytes = static_cast<double>(heap_bytes() - before);
        benchmark::DoNotOptimize(graph);
        state.ResumeTiming();
    }
    state.counters["follows_per_second"] = benchmark::Counter(
        static_cast<double>(follows().size() * state.iterations()), benchmark::Counter::kIsRate);
    state.counters["bytes_per_follow"] = bytes / static_cast<double>(follows().size());
}

void build_ours(benchmark::State& state) {
    time_build(state, [](Pairs& pairs) {
        reachsim::EdgeCleanup cleanup;
        return reachsim::graph_from_pairs(accounts, pairs, cleanup);
    });
}

void build_boost(benchmark::State& state) {
    // Unsorted input, as ours gets it; Boost counting-sorts it into rows.
    time_build(state, [](Pairs& pairs) {
        return BoostCsr(boost::edges_are_unsorted_multi_pass, pairs.begin(), pairs.end(), accounts);
    });
}

void scan_ours(benchmark::State& state) {
    Pairs pairs = follows();
    reachsim::EdgeCleanup cleanup;
    const auto graph = reachsim::graph_from_pairs(accounts, pairs, cleanup);
    for (auto _ : state) {
        std::uint64_t sum = 0;
        for (AccountIndex a = 0; a < accounts; ++a) {
            for (AccountIndex followee : graph.followees_of(a)) {
                sum += followee;
            }
        }
        benchmark::DoNotOptimize(sum);
    }
    state.counters["follows_per_second"] =
        benchmark::Counter(static_cast<double>(graph.follow_count() * state.iterations()),
                           benchmark::Counter::kIsRate);
}

void scan_boost(benchmark::State& state) {
    const Pairs& pairs = follows();
    const BoostCsr graph(boost::edges_are_sorted, pairs.begin(), pairs.end(), accounts);
    for (auto _ : state) {
        std::uint64_t sum = 0;
        for (std::uint32_t a = 0; a < accounts; ++a) {
            auto [followee, end] = boost::adjacent_vertices(a, graph);
            for (; followee != end; ++followee) {
                sum += *followee;
            }
        }
        benchmark::DoNotOptimize(sum);
    }
    state.counters["follows_per_second"] =
        benchmark::Counter(static_cast<double>(boost::num_edges(graph) * state.iterations()),
                           benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(build_ours)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(build_boost)->Unit(benchmark::kMillisecond)->MinTime(3.0);
BENCHMARK(scan_ours)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(scan_boost)->Unit(benchmark::kMillisecond)->MinTime(2.0);
