#include "model/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace reachsim {
namespace {

// The mean of t^-exponent e^(-t / cutoff) on [lower, infinity), by quadrature on a logarithmic
// grid (the density spans decades): the ratio of the first and zeroth moments.
double power_law_mean(double exponent, double lower, double cutoff) {
    if (!std::isfinite(cutoff) && exponent <= 2) {
        return std::numeric_limits<double>::infinity();
    }
    const double upper = std::isfinite(cutoff) ? lower + 50 * cutoff : lower * 1e12;
    constexpr int steps = 20000;
    const double step = std::log(upper / lower) / steps;
    double mass = 0;
    double moment = 0;
    for (int i = 0; i < steps; ++i) {
        const double t = lower * std::exp((i + 0.5) * step);
        const double weight = std::pow(t, -exponent) * std::exp(-t / cutoff) * t * step;
        mass += weight;
        moment += weight * t;
    }
    return moment / mass;
}

}  // namespace

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
        case Kind::power_law:
            return power_law_mean(exponent, lower, cutoff);
        case Kind::seismic:
            // The tail t^-(1 + theta) has a finite mean only for theta > 1.
            return theta > 1 ? plateau * (0.5 + 1 / (theta - 1)) * theta / (1 + theta)
                             : std::numeric_limits<double>::infinity();
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
