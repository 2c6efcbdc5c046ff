// Descriptive statistics of a follower graph for the output's /graph group: reciprocity and
// degree summaries and histograms in both directions.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/follower_graph.hpp"

namespace reachsim {

struct DegreeSummary {
    double mean = 0;
    std::uint32_t min = 0;
    std::uint32_t max = 0;
    std::vector<double> percentiles;       // at `percentile_levels`
    std::vector<std::uint64_t> histogram;  // accounts with degree 0, 1, 2-3, 4-7, 8-15, ...
};

// In increasing order (summarise_degrees selects each above the one before).
inline const std::vector<double> percentile_levels{1, 10, 25, 50, 75, 90, 99, 99.9};

struct GraphSummary {
    std::uint64_t accounts = 0;
    std::uint64_t follows = 0;
    double reciprocity = 0;                // share of follows a -> b with b -> a
    std::uint64_t reciprocity_sample = 0;  // follows sampled to estimate it; 0 when exact
    DegreeSummary followers;
    DegreeSummary following;
};

DegreeSummary summarise_degrees(std::vector<std::uint32_t> degrees);
// Reciprocity is exact up to `exact_limit` follows and estimated above it from a fixed-seed
// stratified sample of `sample_size` follows (one drawn uniformly from each of as many equal runs
// of the follows array; standard error at most sqrt(r (1 - r) / sample_size), < 2e-4).
inline constexpr std::uint64_t exact_reciprocity_limit = 200'000'000;
inline constexpr std::uint64_t reciprocity_sample_size = 10'000'000;
GraphSummary summarise_graph(const FollowerGraph& graph,
                             std::uint64_t exact_limit = exact_reciprocity_limit,
                             std::uint64_t sample_size = reciprocity_sample_size);

}  // namespace reachsim
