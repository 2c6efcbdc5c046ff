// The one reader and writer of the model's Distribution type, used wherever a scenario gives a
// quantity that may vary: posts and sessions per day, scroll depth, retweet probability, appeal and
// delay. A plain number (or, for durations, a string like "30m") is a fixed value; a table
// {distribution = "fixed" | "exponential" | "lognormal" | "geometric" | "empirical", ...} is one of
// the others.
#pragma once

#include <limits>
#include <string_view>

#include <toml++/toml.h>

#include "model/distribution.hpp"
#include "scenario/table_reader.hpp"

namespace reachsim::detail {

extern const KeyList distribution_keys;

// What a quantity accepts.
struct DistributionRules {
    std::string_view unit;  // for messages: "posts per active day"
    double minimum = 0;     // every fixed or listed value at least this; means too
    // Every fixed or listed value, mean and cap at most this. Draws of unbounded kinds are not
    // capped by it (a probability drawn above 1 acts as 1).
    double maximum = std::numeric_limits<double>::infinity();
    bool durations = false;          // values, means and caps are durations like "30m"
    bool per_event_allowed = false;  // 'per = "session"' may be given (scroll depths)
    // A per-session draw without a 'max' is capped at this multiple of its mean (0: no cap).
    double default_cap_in_means = 0;
};

Distribution read_distribution(const TableReader& parent, std::string_view key,
                               const Distribution& fallback, const DistributionRules& rules);

// The table that reads back as `distribution` under `rules`.
toml::table distribution_table(const Distribution& distribution, const DistributionRules& rules);

}  // namespace reachsim::detail
