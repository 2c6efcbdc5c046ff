// Percentiles by nearest rank: the graph summary's degree percentiles, the
// `followers_percentile:` selector of tracked authors and the cascades' times to 50% and 90% of
// a post's reach.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace reachsim {

// The nearest rank (from 1) of the `percent`th percentile of `count` values: the smallest rank r
// with r >= percent / 100 x count. In floating point a product that is a whole number can come
// out just above it (99.9% of 100,000 gives 99,900.00000000001, whose ceiling is 99,901), so one
// within 1e-14 of a whole number, relatively (a few rounding errors), is taken as that number.
inline std::uint64_t nearest_rank(double percent, std::uint64_t count) {
    const double product = percent / 100.0 * static_cast<double>(count);
    const double whole = std::round(product);
    const double rank =
        std::abs(product - whole) <= 1e-14 * std::max(1.0, product) ? whole : std::ceil(product);
    return std::clamp<std::uint64_t>(static_cast<std::uint64_t>(std::max(rank, 0.0)), 1,
                                     std::max<std::uint64_t>(count, 1));
}

}  // namespace reachsim
