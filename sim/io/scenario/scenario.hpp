// Scenario input: reads a TOML scenario file (plus command-line overrides), validates every key
// and value, and produces the one Model and the RunSettings. Two shapes of file read into the
// same Model: [author] + [followers] (a star: one author and its followers) and [graph] +
// [accounts] (+ [track]). Every mistake is an input_error naming the file, line and key and
// saying what was expected. Nothing downstream sees TOML.
#pragma once

#include <optional>
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
    std::string source = "--set";  // where it came from, for messages
};

// Parses "KEY=VALUE". Throws input_error if there is no '='.
Override parse_override(std::string_view assignment);

// One swept key and its values. Each value is kept as TOML text (what a point sets the key to),
// and as a number or a string when it is one (what the output's parameter columns hold).
struct SweepValue {
    std::string toml;
    std::optional<double> number;
    std::optional<std::string> text;
};
struct SweepParameter {
    std::string key;  // a dotted scenario key, as for --set
    std::vector<SweepValue> values;
};

// A [sweep] table plus any `--param`s: several keys form a grid (the first key varying slowest),
// or with `zip` are paired value by value.
struct SweepDefinition {
    std::vector<SweepParameter> parameters;
    bool zip = false;
    [[nodiscard]] bool empty() const { return parameters.empty(); }
};

struct Scenario {
    std::string path;  // as given
    std::string text;  // the file's text, verbatim
    Model model;
    RunSettings run;
    SweepDefinition sweep;  // empty unless the file has a [sweep] table
};

// `--param KEY=VALUES`: VALUES a TOML array (`[1, 2, 4]`, `[["08:00"], ["12:00"]]`) or a range
// table (`{ from = 0.5, to = 12, steps = 8, scale = "log" }`). Replaces a swept KEY or adds it.
// Throws input_error naming the option.
void add_sweep_parameter(SweepDefinition& sweep, const Override& parameter);

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
