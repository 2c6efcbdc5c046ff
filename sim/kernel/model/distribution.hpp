// The one distribution type: any quantity of the model that varies at random — an account's posts
// per day, a session's scroll depth, a retweet's delay, a post's appeal. Plain data; draws are in
// random/draw.hpp.
#pragma once

#include <limits>
#include <vector>

namespace reachsim {

struct Distribution {
    // power_law: density proportional to t^-exponent e^(-t / cutoff) above `lower` (retweet
    // delays: a power law with an exponential cutoff). seismic: SEISMIC's memory kernel as a
    // density, constant up to `plateau` then falling as (t / plateau)^-(1 + theta) (Zhao et al.
    // 2015: plateau 300 s, theta 0.2315); its mean is infinite, so give it a cap (`max`).
    enum class Kind { fixed, exponential, lognormal, geometric, empirical, power_law, seismic };
    // When a value is drawn: once per account (and kept for the run), or afresh for every event
    // (every session's scroll depth, every retweet's delay).
    enum class Per { account, event };

    Kind kind = Kind::fixed;
    double value = 0;            // fixed
    double mean = 0;             // exponential, lognormal, geometric (on {1, 2, ...})
    double sigma = 0;            // lognormal: standard deviation of the logarithm
    std::vector<double> values;  // empirical: one drawn uniformly
    double exponent = 0;         // power_law
    double lower = 0;            // power_law: the smallest value
    double cutoff = std::numeric_limits<double>::infinity();  // power_law: the cutoff scale
    double plateau = 0;                                       // seismic
    double theta = 0;                                         // seismic
    double cap = std::numeric_limits<double>::infinity();     // draws above it become it
    Per per = Per::account;

    // The mean of a draw, ignoring the cap.
    [[nodiscard]] double expected() const;
    // The largest value a draw can take (the cap, or the support's upper end).
    [[nodiscard]] double largest() const;

    static Distribution fixed_at(double value) {
        Distribution distribution;
        distribution.value = value;
        return distribution;
    }

    static Distribution exponential_with_mean(double mean) {
        Distribution distribution;
        distribution.kind = Kind::exponential;
        distribution.mean = mean;
        return distribution;
    }

    bool operator==(const Distribution&) const = default;
};

}  // namespace reachsim
