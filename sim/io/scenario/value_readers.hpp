// Readers for the value types scenario files share — durations, UTC offsets, weekdays, daily
// profiles, rhythms — and their TOML form for the resolved scenario.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "model/model.hpp"
#include "scenario/table_reader.hpp"

namespace reachsim::detail {

using Profiles = std::map<std::string, DailyProfile, std::less<>>;

DailyProfile flat_profile();
WeekdaySet every_day();
// Normalises to mean 1; an all-zero profile stays zero. Idempotent.
void normalise(DailyProfile& profile);
bool is_zero(const DailyProfile& profile);

// [profiles], plus the built-in "flat".
Profiles read_profiles(const toml::table& root, const std::string& file);
double read_duration(const TableReader& reader, std::string_view key, double fallback);
double read_utc_offset(const TableReader& reader, double fallback);
WeekdaySet read_days(const TableReader& reader, const WeekdaySet& fallback);
// "profile": a name or 24 inline weights.
DailyProfile read_profile(const TableReader& reader, const Profiles& profiles,
                          const DailyProfile& fallback);
double read_non_negative(const TableReader& reader, std::string_view key, double fallback,
                         std::string_view unit);
// Fails if a positive rate meets a profile that is zero at every hour.
void require_active(const TableReader& reader, std::string_view rate_key, double rate,
                    const Rhythm& rhythm);
// A rhythm's profile and days, read on top of `fallback`.
Rhythm read_rhythm(const TableReader& reader, const Profiles& profiles, const Rhythm& fallback);

// A segment's name (required, unique among `segments` read so far), after checking that it gives
// exactly one of 'count' and 'share'.
template <typename Segments>
std::string read_segment_name(const TableReader& reader, const Segments& segments) {
    auto name = reader.string("name");
    if (!name || name->empty()) {
        reader.fail("name", "required: a name for the segment, like \"UK\"");
    }
    for (const auto& other : segments) {
        if (other.name == *name) {
            reader.fail("name", "duplicate segment name '" + *name + "'");
        }
    }
    if (reader.has("count") == reader.has("share")) {
        reader.fail(reader.has("count") ? "share" : "count",
                    "give exactly one of 'count' and 'share'");
    }
    return *name;
}

toml::array weights_array(const DailyProfile& profile);
// A rhythm's table (profile and days). Named profiles are collected in `profiles`; inline ones
// stay inline.
toml::table rhythm_table(const Rhythm& rhythm, toml::table& profiles);

}  // namespace reachsim::detail
