#include "scenario/value_readers.hpp"

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"

namespace reachsim::detail {
namespace {

DailyProfile read_profile_weights(const TableReader& reader, std::string_view key,
                                  const toml::array& values, std::string name);

}  // namespace

DailyProfile flat_profile() {
    DailyProfile profile{"flat", {}};
    profile.weights.fill(1.0);
    return profile;
}

WeekdaySet every_day() {
    WeekdaySet days{};
    days.fill(true);
    return days;
}

// Normalises to mean 1; an all-zero profile stays zero (an error only under a positive rate).
// Idempotent, so a resolved scenario parses back to the same weights.
void normalise(DailyProfile& profile) {
    double sum = 0;
    for (double weight : profile.weights) {
        sum += weight;
    }
    const double mean = sum / hours_per_day;
    constexpr double rounding = 1e-12;  // weights normalised once already average 1 up to rounding
    if (mean > 0 && std::abs(mean - 1.0) > rounding) {
        for (double& weight : profile.weights) {
            weight /= mean;
        }
    }
}

bool is_zero(const DailyProfile& profile) {
    return std::all_of(profile.weights.begin(), profile.weights.end(),
                       [](double w) { return w == 0; });
}

Profiles read_profiles(const toml::table& root, const std::string& file) {
    Profiles profiles{{"flat", flat_profile()}};
    const toml::node* node = root.get("profiles");
    if (!node) {
        return profiles;
    }
    if (!node->is_table()) {
        throw input_error({file, node->source().begin.line}, "profiles",
                          "expected a table of name = [24 weights]");
    }
    // Every name is valid here, so the reader accepts the table's own keys.
    KeyList names;
    for (const auto& [name, value] : *node->as_table()) {
        names.push_back(name.str());
    }
    const TableReader reader(*node->as_table(), "profiles", file, names);
    for (auto name : names) {
        const toml::array* weights = reader.array(name);
        profiles[std::string(name)] =
            read_profile_weights(reader, name, *weights, std::string(name));
    }
    return profiles;
}

double read_duration(const TableReader& reader, std::string_view key, double fallback) {
    const toml::node* node = reader.node(key);
    if (!node) {
        return fallback;
    }
    auto seconds =
        node->is_string() ? parse_duration_seconds(node->as_string()->get()) : std::nullopt;
    if (!seconds) {
        reader.fail(key,
                    "expected a duration with a unit, like \"90s\", \"30m\", \"2h\" or \"7d\"");
    }
    return *seconds;
}

double read_utc_offset(const TableReader& reader, double fallback) {
    const toml::node* node = reader.node("utc_offset");
    if (!node) {
        return fallback;
    }
    std::optional<double> hours;
    if (node->is_string()) {
        hours = parse_utc_offset_hours(node->as_string()->get());
    } else if (node->is_number()) {
        hours = node->value<double>();
    }
    if (!hours || !(std::abs(*hours) <= 14.0)) {  // NaN fails too
        reader.fail("utc_offset",
                    "expected a UTC offset between -14 and +14 hours, like \"+05:30\" or -5");
    }
    return *hours;
}

WeekdaySet read_days(const TableReader& reader, const WeekdaySet& fallback) {
    auto text = reader.string("days");
    if (!text) {
        return fallback;
    }
    auto days = parse_weekdays(*text);
    if (!days) {
        reader.fail("days", "expected weekdays like \"mon-fri\", \"sat,sun\" or \"all\"");
    }
    return *days;
}

DailyProfile read_profile(const TableReader& reader, const Profiles& profiles,
                          const DailyProfile& fallback) {
    const toml::node* node = reader.node("profile");
    if (!node) {
        return fallback;
    }
    if (node->is_array()) {
        return read_profile_weights(reader, "profile", *node->as_array(), "inline");
    }
    if (!node->is_string()) {
        reader.fail("profile", "expected a profile name or an array of 24 weights");
    }
    const std::string& name = node->as_string()->get();
    if (auto found = profiles.find(name); found != profiles.end()) {
        return found->second;
    }
    KeyList names;
    for (const auto& [known, profile] : profiles) {
        names.push_back(known);
    }
    std::string problem = "no profile named '" + name + "'";
    if (auto suggestion = detail::closest_key(name, names); !suggestion.empty()) {
        problem += "; did you mean '" + suggestion + "'?";
    }
    reader.fail("profile", problem + " Define it under [profiles] or use \"flat\".");
}

double read_non_negative(const TableReader& reader, std::string_view key, double fallback,
                         std::string_view unit) {
    const double value = reader.number(key).value_or(fallback);
    if (value < 0) {
        reader.fail(key, "expected a non-negative rate (" + std::string(unit) + "), got " +
                             std::to_string(value));
    }
    return value;
}

void require_active(const TableReader& reader, std::string_view rate_key, double rate,
                    const Rhythm& rhythm) {
    if (rate > 0 && is_zero(rhythm.profile)) {
        reader.fail(reader.has("profile") ? "profile" : rate_key,
                    "profile '" + rhythm.profile.name + "' is zero at every hour, but '" +
                        std::string(rate_key) +
                        "' is positive: expected at least one positive weight");
    }
}

toml::array weights_array(const DailyProfile& profile) {
    toml::array weights;
    for (double weight : profile.weights) {
        weights.push_back(weight);
    }
    return weights;
}

Rhythm read_rhythm(const TableReader& reader, const Profiles& profiles, const Rhythm& fallback) {
    return {read_profile(reader, profiles, fallback.profile), read_days(reader, fallback.days)};
}

toml::table rhythm_table(const Rhythm& rhythm, toml::table& profiles) {
    toml::table table{{"days", format_weekdays(rhythm.days)}};
    if (rhythm.profile.name == "inline") {
        table.insert("profile", weights_array(rhythm.profile));
    } else {
        profiles.insert_or_assign(rhythm.profile.name, weights_array(rhythm.profile));
        table.insert("profile", rhythm.profile.name);
    }
    return table;
}

namespace {

DailyProfile read_profile_weights(const TableReader& reader, std::string_view key,
                                  const toml::array& values, std::string name) {
    if (values.size() != hours_per_day) {
        reader.fail(key, "expected 24 hourly weights (local hours 0..23), got " +
                             std::to_string(values.size()));
    }
    DailyProfile profile{std::move(name), {}};
    for (std::size_t hour = 0; hour < values.size(); ++hour) {
        const toml::node& value = *values.get(hour);
        auto weight = value.value<double>();
        if (!weight || !(value.is_number()) || !std::isfinite(*weight) || *weight < 0) {
            reader.fail_at(value, key,
                           "hour " + std::to_string(hour) + ": expected a non-negative number");
        }
        profile.weights[hour] = *weight;
    }
    normalise(profile);
    return profile;
}

}  // namespace

}  // namespace reachsim::detail
