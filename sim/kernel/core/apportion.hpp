// Whole-number apportionment: splitting a total by shares so the parts add up exactly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace reachsim {

// Splits `total` in proportion to `shares` (which need not sum to 1) by the largest remainder
// method: floors first, then one more to the largest fractional parts until the parts add up.
inline std::vector<std::int64_t> largest_remainder(const std::vector<double>& shares,
                                                   std::int64_t total) {
    double sum = 0;
    for (double share : shares) {
        sum += share;
    }
    std::vector<std::int64_t> parts(shares.size(), 0);
    std::vector<std::pair<double, std::size_t>> remainders;
    std::int64_t assigned = 0;
    for (std::size_t i = 0; i < shares.size(); ++i) {
        const double exact = sum > 0 ? shares[i] / sum * static_cast<double>(total) : 0.0;
        parts[i] = static_cast<std::int64_t>(std::floor(exact));
        assigned += parts[i];
        remainders.emplace_back(-(exact - std::floor(exact)), i);
    }
    std::sort(remainders.begin(), remainders.end());
    for (std::size_t k = 0; assigned < total && k < remainders.size(); ++k, ++assigned) {
        ++parts[remainders[k].second];
    }
    return parts;
}

}  // namespace reachsim
