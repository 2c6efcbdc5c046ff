#include "model/distribution.hpp"

#include <algorithm>
#include <numeric>

namespace reachsim {

double Distribution::expected() const {
    switch (kind) {
        case Kind::fixed:
            return value;
        case Kind::exponential:
        case Kind::lognormal:
        case Kind::geometric:
            return mean;
        case Kind::empirical:
            return values.empty() ? 0.0
                                  : std::accumulate(values.begin(), values.end(), 0.0) /
                                        static_cast<double>(values.size());
    }
    return 0.0;
}

double Distribution::largest() const {
    double support = std::numeric_limits<double>::infinity();
    if (kind == Kind::fixed) {
        support = value;
    } else if (kind == Kind::empirical && !values.empty()) {
        support = *std::max_element(values.begin(), values.end());
    }
    return std::min(support, cap);
}

}  // namespace reachsim
