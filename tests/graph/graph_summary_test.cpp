// The degree summary's percentiles, checked against nearest ranks read from a sorted copy.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "graph/graph_summary.hpp"

using namespace reachsim;

TEST_CASE("degree percentiles are the nearest ranks of the sorted degrees") {
    std::mt19937_64 random(11);
    for (const std::size_t accounts : std::array<std::size_t, 6>{1, 2, 7, 100, 1001, 100000}) {
        // Heavy-tailed, with many repeats, as follower counts are.
        std::vector<std::uint32_t> degrees(accounts);
        std::lognormal_distribution<double> degree(1.0, 1.5);
        for (auto& d : degrees) {
            d = static_cast<std::uint32_t>(degree(random));
        }
        std::vector<std::uint32_t> sorted = degrees;
        std::sort(sorted.begin(), sorted.end());
        const DegreeSummary summary = summarise_degrees(degrees);
        INFO(accounts << " accounts");
        CHECK(summary.min == sorted.front());
        CHECK(summary.max == sorted.back());
        REQUIRE(summary.percentiles.size() == percentile_levels.size());
        for (std::size_t k = 0; k < percentile_levels.size(); ++k) {
            // The smallest degree with at least the level's share of accounts at or below it,
            // counted in whole numbers (the levels are whole tenths of a percent).
            const auto tenths_of_percent =
                static_cast<std::size_t>(std::llround(percentile_levels[k] * 10));
            std::size_t at_or_below = 0;
            std::uint32_t expected = sorted.back();
            for (const std::uint32_t d : sorted) {
                ++at_or_below;
                if (1000 * at_or_below >= tenths_of_percent * accounts) {
                    expected = d;
                    break;
                }
            }
            INFO("percentile " << percentile_levels[k]);
            CHECK(summary.percentiles[k] == expected);
        }
    }
}
