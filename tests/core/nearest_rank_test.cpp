// Nearest ranks of percentiles, against the same rank counted in whole numbers.
#include <catch2/catch.hpp>

#include <cstdint>

#include "core/nearest_rank.hpp"

using namespace reachsim;

TEST_CASE("the nearest rank is the smallest rank with the percentile's share at or below it") {
    // Percentiles in tenths of a percent, where the rank is ceil(tenths x count / 1000) exactly.
    for (std::uint64_t count = 1; count <= 1200; ++count) {
        for (std::uint64_t tenths = 1; tenths <= 1000; ++tenths) {
            const std::uint64_t expected = (tenths * count + 999) / 1000;
            const std::uint64_t rank = nearest_rank(static_cast<double>(tenths) / 10, count);
            if (rank != expected) {  // one CHECK per failure: 1.2 M passing ones would be noise
                INFO(static_cast<double>(tenths) / 10 << "th percentile of " << count);
                CHECK(rank == expected);
            }
        }
    }
    // Counts where the floating-point product lands just above a whole number.
    CHECK(nearest_rank(99.9, 100'000) == 99'900);
    CHECK(nearest_rank(99.9, 41'700'000) == 41'658'300);
    CHECK(nearest_rank(90, 100) == 90);
    // And the ends: at least the first, at most the last.
    CHECK(nearest_rank(0, 10) == 1);
    CHECK(nearest_rank(100, 10) == 10);
}
