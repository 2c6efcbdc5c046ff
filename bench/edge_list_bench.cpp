// Loading an edge list (graph_files/edge_list.hpp): follows per second and megabytes of text per
// second, plain and gzip-compressed, on a file written once per process: 2 M accounts with
// Twitter-like ids (up to 10 digits), 20 M follows, one "follower followee" line each, followees
// drawn with a power-law preference as in csr_bench.cpp. docs/performance.md keeps the figures.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "graph_files/edge_list.hpp"

namespace {

constexpr std::uint64_t accounts = 2'000'000;
constexpr std::uint64_t follows = 20'000'000;

struct EdgeListFiles {
    std::filesystem::path folder;
    std::string plain;
    std::string gzip;
    std::uint64_t text_bytes = 0;

    EdgeListFiles() {
        folder = std::filesystem::temp_directory_path() /
                 ("reachsim-edge-list-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(folder);
        plain = (folder / "follows.txt").string();
        gzip = (folder / "follows.txt.gz").string();
        std::FILE* text = std::fopen(plain.c_str(), "w");
        gzFile compressed = gzopen(gzip.c_str(), "wb1");
        std::mt19937_64 engine(2010);
        std::uniform_real_distribution<double> uniform(0.0, 1.0);
        char line[64];
        for (std::uint64_t i = 0; i < follows; ++i) {
            // Ids spread over 10 digits, as Twitter's are; a few accounts followed by many.
            const auto follower = i * accounts / follows * 4999 + 12;
            const auto rank = static_cast<std::uint64_t>(std::pow(uniform(engine), 5.0) *
                                                         static_cast<double>(accounts - 1));
            const int length = std::snprintf(line, sizeof line, "%llu\t%llu\n",
                                             static_cast<unsigned long long>(follower),
                                             static_cast<unsigned long long>(rank * 4999 + 12));
            std::fwrite(line, 1, static_cast<std::size_t>(length), text);
            gzwrite(compressed, line, static_cast<unsigned>(length));
            text_bytes += static_cast<std::uint64_t>(length);
        }
        std::fclose(text);
        gzclose(compressed);
    }
    ~EdgeListFiles() { std::filesystem::remove_all(folder); }
};

const EdgeListFiles& files() {
    static const EdgeListFiles written;
    return written;
}

void load(benchmark::State& state, bool compressed) {
    const EdgeListFiles& edge_list = files();
    for (auto _ : state) {
        const auto loaded = reachsim::load_edge_list(compressed ? edge_list.gzip : edge_list.plain,
                                                     reachsim::EdgeDirection::follower_followee, 0);
        benchmark::DoNotOptimize(loaded.graph.follow_count());
    }
    const auto iterations = static_cast<double>(state.iterations());
    state.counters["follows_per_second"] =
        benchmark::Counter(static_cast<double>(follows) * iterations, benchmark::Counter::kIsRate);
    state.counters["text_bytes_per_second"] = benchmark::Counter(
        static_cast<double>(edge_list.text_bytes) * iterations, benchmark::Counter::kIsRate);
}

void load_plain(benchmark::State& state) {
    load(state, false);
}
void load_gzip(benchmark::State& state) {
    load(state, true);
}

}  // namespace

BENCHMARK(load_plain)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
BENCHMARK(load_gzip)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
