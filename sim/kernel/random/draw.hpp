// Draws from the model's one Distribution type.
#pragma once

#include <algorithm>
#include <cmath>

#include "model/distribution.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

inline double draw(const Distribution& distribution, RandomStream& random) {
    double value = distribution.value;
    switch (distribution.kind) {
        case Distribution::Kind::fixed:
            break;
        case Distribution::Kind::exponential:
            value = distribution.mean * random.standard_exponential();
            break;
        case Distribution::Kind::lognormal: {
            // A lognormal with the given mean: mu = log(mean) - sigma^2 / 2.
            const double sigma = distribution.sigma;
            const double mu = std::log(distribution.mean) - sigma * sigma / 2;
            value = std::exp(mu + sigma * random.standard_normal());
            break;
        }
        case Distribution::Kind::geometric:
            value = static_cast<double>(random.geometric(distribution.mean));
            break;
        case Distribution::Kind::empirical:
            value = distribution.values[random.below(distribution.values.size())];
            break;
    }
    return std::min(value, distribution.cap);
}

}  // namespace reachsim
