// Draws from the model's one Distribution type.
#pragma once

#include <algorithm>
#include <cmath>

#include "model/distribution.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

// t^-exponent e^(-t / cutoff) on [lower, infinity), by rejection. Above exponent 1 the proposal
// is the Pareto part (kept with probability e^-(t - lower) / cutoff); otherwise the exponential
// part shifted to `lower` (kept with probability (t / lower)^-exponent). Either acceptance is high
// when the cutoff is well above `lower`, as for retweet delays.
inline double draw_power_law(const Distribution& distribution, RandomStream& random) {
    const double lower = distribution.lower;
    const double exponent = distribution.exponent;
    const double cutoff = distribution.cutoff;
    while (true) {
        if (exponent > 1) {
            const double t = lower * std::pow(random.uniform_open01(), -1 / (exponent - 1));
            if (random.uniform_open01() < std::exp(-(t - lower) / cutoff)) {
                return t;
            }
        } else {
            const double t = lower + cutoff * random.standard_exponential();
            if (random.uniform_open01() < std::pow(t / lower, -exponent)) {
                return t;
            }
        }
    }
}

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
        case Distribution::Kind::power_law:
            value = draw_power_law(distribution, random);
            break;
        case Distribution::Kind::seismic: {
            // The plateau holds theta / (1 + theta) of the mass: uniform there, Pareto beyond.
            const double theta = distribution.theta;
            value = random.uniform_open01() < theta / (1 + theta)
                        ? distribution.plateau * random.uniform_open01()
                        : distribution.plateau * std::pow(random.uniform_open01(), -1 / theta);
            break;
        }
    }
    return std::min(value, distribution.cap);
}

}  // namespace reachsim
