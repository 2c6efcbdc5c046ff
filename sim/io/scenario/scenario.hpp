// Scenario input: reads a TOML scenario file (plus command-line overrides), validates every key
// and value, and produces the one Model and the RunSettings. Two shapes of file read into the
// same Model: [author] + [followers] (a star: one author and its followers) and [graph] +
// [accounts] (+ [track]). Every mistake is an input_error naming the file, line and key and
// saying what was expected. Nothing downstream sees TOML.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace reachsim {

// `--set KEY=VALUE`: KEY is a dotted path ("simulation.duration", "followers.segment.0.count"),
// VALUE any TOML value — a scalar, an array (`["09:00", "13:00"]`) or an inline table — which
// replaces what the key held; a VALUE that is not valid TOML is taken as a string ("30d").
struct Override {
    std::string key;
    std::string value;
    bool verbatim_string = false;  // take VALUE as a string without parsing it (file paths)
};

// Parses "KEY=VALUE". Throws input_error if there is no '='.
Override parse_override(std::string_view assignment);

struct Scenario {
    std::string path;  // as given
    std::string text;  // the file's text, verbatim
    Model model;
    RunSettings run;
};

// Reads, overrides and validates a scenario file.
Scenario load_scenario(const std::string& path, const std::vector<Override>& overrides = {});

// The same for text already in memory; `path` is only used in messages.
Scenario parse_scenario(const std::string& text, const std::string& path,
                        const std::vector<Override>& overrides = {});

// Every parameter after defaults and overrides, as a scenario file that parses back to the same
// model and run settings.
std::string resolved_scenario_toml(const Scenario& scenario);

// Every key a scenario may contain, as dotted paths ("followers.segment.background.per_hour"),
// and the keys of a distribution table, which any distribution-valued key may hold.
std::vector<std::string> scenario_keys();
std::vector<std::string> distribution_table_keys();

}  // namespace reachsim
