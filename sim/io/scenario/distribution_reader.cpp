#include "scenario/distribution_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/time.hpp"
#include "scenario/value_readers.hpp"

namespace reachsim::detail {

const KeyList distribution_keys{"distribution", "value",    "items", "mean",   "sigma",
                                "values",       "exponent", "min",   "cutoff", "plateau",
                                "theta",        "max",      "per"};

namespace {

using Kind = Distribution::Kind;

const std::vector<std::pair<std::string_view, Kind>> kind_names{
    {"fixed", Kind::fixed},         {"exponential", Kind::exponential},
    {"lognormal", Kind::lognormal}, {"geometric", Kind::geometric},
    {"empirical", Kind::empirical}, {"power_law", Kind::power_law},
    {"seismic", Kind::seismic},
};

std::string_view name_of(Kind kind) {
    for (const auto& [name, known] : kind_names) {
        if (known == kind) {
            return name;
        }
    }
    return "fixed";
}

std::string bounds(const DistributionRules& rules) {
    auto show = [&](double value) {
        if (rules.durations) {
            return format_duration(value);
        }
        char text[32];
        std::snprintf(text, sizeof text, "%g", value);
        return std::string(text);
    };
    std::string text =
        rules.minimum == 0 ? "a non-negative value" : "a value of at least " + show(rules.minimum);
    if (std::isfinite(rules.maximum)) {
        text += (rules.minimum == 0 ? " of at most " : " and at most ") + show(rules.maximum);
    }
    return rules.unit.empty() ? text : text + " (" + std::string(rules.unit) + ")";
}

// One number of the table: a duration string under rules.durations, else a number.
std::optional<double> read_value(const TableReader& table, std::string_view key,
                                 const DistributionRules& rules) {
    if (!table.has(key)) {
        return std::nullopt;
    }
    return rules.durations ? read_duration(table, key, 0) : table.number(key);
}

}  // namespace

Distribution read_distribution(const TableReader& parent, std::string_view key,
                               const Distribution& fallback, const DistributionRules& rules) {
    const toml::node* node = parent.node(key);
    if (!node) {
        return fallback;
    }
    auto within = [&](double value) { return value >= rules.minimum && value <= rules.maximum; };
    if (node->is_number() || (rules.durations && node->is_string())) {
        const double value = rules.durations ? read_duration(parent, key, 0) : *parent.number(key);
        if (!within(value)) {
            parent.fail(key, "expected " + bounds(rules));
        }
        return Distribution::fixed_at(value);
    }
    if (!node->is_table()) {
        parent.fail(key, std::string("expected ") +
                             (rules.durations ? "a duration like \"30m\"" : "a number") +
                             ", or a table {distribution = \"lognormal\", mean = ..., ...}");
    }
    const TableReader table = parent.child(key, distribution_keys);
    const std::string kind_name = table.string("distribution").value_or("fixed");
    const auto found = std::find_if(kind_names.begin(), kind_names.end(),
                                    [&](const auto& entry) { return entry.first == kind_name; });
    if (found == kind_names.end()) {
        table.fail("distribution",
                   "expected \"fixed\", \"exponential\", \"lognormal\", \"geometric\", "
                   "\"empirical\", \"power_law\" or \"seismic\", got \"" +
                       kind_name + "\"");
    }
    Distribution distribution;
    distribution.kind = found->second;
    if (rules.durations && distribution.kind == Kind::geometric) {
        table.fail("distribution", "a duration cannot be geometric (a count of items)");
    }
    if (!rules.durations &&
        (distribution.kind == Kind::power_law || distribution.kind == Kind::seismic)) {
        table.fail("distribution", "\"" + kind_name + "\" is for delays (durations) only");
    }
    // 'items' is the older name of a fixed scroll depth's 'value'.
    const std::string_view value_key = table.has("items") ? "items" : "value";
    auto only = [&](std::initializer_list<std::string_view> allowed) {
        for (std::string_view other : {"value", "items", "mean", "sigma", "values", "exponent",
                                       "min", "cutoff", "plateau", "theta"}) {
            if (table.has(other) &&
                std::find(allowed.begin(), allowed.end(), other) == allowed.end()) {
                table.fail(other, "does not apply to distribution = \"" + kind_name + "\"");
            }
        }
    };
    auto required_mean = [&](double at_least) {
        const auto mean = read_value(table, "mean", rules);
        if (!mean || !(*mean > 0) || *mean < at_least || *mean > rules.maximum) {
            table.fail("mean", "required: a positive mean, " + bounds(rules));
        }
        return *mean;
    };
    switch (distribution.kind) {
        case Kind::fixed: {
            only({"value", "items"});
            const auto value = read_value(table, value_key, rules);
            if (!value || !within(*value)) {
                table.fail(value_key, "required: " + bounds(rules));
            }
            distribution.value = *value;
            break;
        }
        case Kind::exponential:
            only({"mean"});
            distribution.mean = required_mean(rules.minimum);
            break;
        case Kind::lognormal:
            only({"mean", "sigma"});
            distribution.mean = required_mean(rules.minimum);
            distribution.sigma = table.number("sigma").value_or(1.0);
            if (distribution.sigma < 0) {
                table.fail("sigma", "expected a non-negative standard deviation of the logarithm");
            }
            break;
        case Kind::geometric:
            only({"mean"});
            distribution.mean = required_mean(std::max(1.0, rules.minimum));
            break;
        case Kind::power_law: {
            only({"exponent", "min", "cutoff"});
            const auto exponent = table.number("exponent");
            if (!exponent || !std::isfinite(*exponent) || *exponent < 0 || *exponent > 10) {
                table.fail("exponent", "required: the power law's exponent, from 0 to 10");
            }
            const auto lower = read_value(table, "min", rules);
            if (!lower || !(*lower > 0) || !within(*lower)) {
                table.fail("min", "required: the smallest delay, above 0 and " + bounds(rules));
            }
            const auto cutoff = read_value(table, "cutoff", rules);
            if (!cutoff || !(*cutoff >= *lower) || !within(*cutoff)) {
                table.fail("cutoff", "required: the exponential cutoff's scale, at least min and " +
                                         bounds(rules));
            }
            distribution.exponent = *exponent;
            distribution.lower = *lower;
            distribution.cutoff = *cutoff;
            break;
        }
        case Kind::seismic: {
            only({"plateau", "theta"});
            distribution.plateau = read_value(table, "plateau", rules).value_or(300.0);
            distribution.theta = table.number("theta").value_or(0.2315);
            if (!(distribution.plateau > 0) || !within(distribution.plateau)) {
                table.fail("plateau", "expected a positive duration, " + bounds(rules));
            }
            if (!(distribution.theta >= 0.01) || !(distribution.theta <= 10)) {
                table.fail("theta", "expected the tail's exponent theta, from 0.01 to 10");
            }
            if (!table.has("max")) {
                table.fail("max",
                           "required: a cap on the delay (the SEISMIC kernel's tail has no "
                           "finite mean), like max = \"7d\"");
            }
            break;
        }
        case Kind::empirical: {
            only({"values"});
            const toml::array* values = table.array("values");
            if (!values || values->empty()) {
                table.fail("values", "required: a non-empty list of values to draw from");
            }
            for (const auto& value : *values) {
                std::optional<double> number;
                if (rules.durations && value.is_string()) {
                    number = parse_duration_seconds(value.as_string()->get());
                } else if (!rules.durations && value.is_number()) {
                    number = value.value<double>();
                }
                if (!number || !std::isfinite(*number) || !within(*number)) {
                    table.fail_at(value, "values", "expected values, each " + bounds(rules));
                }
                distribution.values.push_back(*number);
            }
            break;
        }
    }
    const std::string per = table.string("per").value_or(
        distribution.kind == Kind::geometric && rules.per_event_allowed ? "session" : "account");
    if (per != "session" && per != "account") {
        table.fail("per",
                   "expected \"session\" (a draw for every session) or \"account\" (one "
                   "draw per account)");
    }
    if (table.has("per") && !rules.per_event_allowed) {
        table.fail("per", "applies only to feed_depth");
    }
    distribution.per = per == "session" ? Distribution::Per::event : Distribution::Per::account;
    if (const auto cap = read_value(table, "max", rules)) {
        if (!(*cap >= rules.minimum) || !std::isfinite(*cap)) {
            table.fail("max", "expected a cap " + bounds(rules));
        }
        distribution.cap = std::min(*cap, rules.maximum);
    } else if (distribution.per == Distribution::Per::event && rules.default_cap_in_means > 0 &&
               distribution.kind != Kind::fixed && distribution.kind != Kind::empirical) {
        distribution.cap = std::ceil(rules.default_cap_in_means * distribution.mean);
    }
    return distribution;
}

toml::table distribution_table(const Distribution& distribution, const DistributionRules& rules) {
    auto insert = [&](toml::table& table, std::string_view key, double number) {
        if (rules.durations) {
            table.insert(key, format_duration(number));
        } else {
            table.insert(key, number);
        }
    };
    toml::table table{{"distribution", name_of(distribution.kind)}};
    switch (distribution.kind) {
        case Kind::fixed:
            insert(table, "value", distribution.value);
            break;
        case Kind::exponential:
        case Kind::geometric:
            insert(table, "mean", distribution.mean);
            break;
        case Kind::lognormal:
            insert(table, "mean", distribution.mean);
            table.insert("sigma", distribution.sigma);
            break;
        case Kind::power_law:
            table.insert("exponent", distribution.exponent);
            insert(table, "min", distribution.lower);
            insert(table, "cutoff", distribution.cutoff);
            break;
        case Kind::seismic:
            insert(table, "plateau", distribution.plateau);
            table.insert("theta", distribution.theta);
            break;
        case Kind::empirical: {
            toml::array values;
            for (double number : distribution.values) {
                if (rules.durations) {
                    values.push_back(format_duration(number));
                } else {
                    values.push_back(number);
                }
            }
            table.insert("values", values);
            break;
        }
    }
    if (std::isfinite(distribution.cap)) {
        insert(table, "max", distribution.cap);
    }
    if (rules.per_event_allowed) {
        table.insert("per", distribution.per == Distribution::Per::event ? "session" : "account");
    }
    return table;
}

}  // namespace reachsim::detail
