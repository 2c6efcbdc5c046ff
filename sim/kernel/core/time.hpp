// Simulated time and the calendar: seconds from the scenario's start instant, durations with
// units ("90s", "30m", "2h", "7d"), ISO-8601 UTC instants, UTC offsets ("+05:30") and weekdays.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reachsim {

inline constexpr double seconds_per_minute = 60.0;
inline constexpr double seconds_per_hour = 3600.0;
inline constexpr double seconds_per_day = 86400.0;
inline constexpr double seconds_per_week = 7 * seconds_per_day;
inline constexpr int hours_per_day = 24;
inline constexpr int days_per_week = 7;

// Parses "90s", "30m", "2h", "7d", "1.5h" into seconds. nullopt if malformed or negative.
std::optional<double> parse_duration_seconds(std::string_view text);

// Formats seconds as the shortest exact duration string ("90s", "30m", "2h", "7d").
std::string format_duration(double seconds);

// Parses an ISO-8601 UTC instant "YYYY-MM-DDTHH:MM:SSZ" (or without seconds) into Unix seconds.
std::optional<std::int64_t> parse_utc_instant(std::string_view text);

// Formats Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_utc_instant(std::int64_t unix_seconds);

// Parses a UTC offset "+05:30", "-5", "+0", "-03:00" into hours. nullopt if malformed or beyond
// ±14h.
std::optional<double> parse_utc_offset_hours(std::string_view text);

// Formats hours as "+05:30".
std::string format_utc_offset(double hours);

// Active weekdays, Monday = 0. Parsed from "mon-fri", "sat,sun", "mon-sun", "all", "fri-mon".
using WeekdaySet = std::array<bool, days_per_week>;
std::optional<WeekdaySet> parse_weekdays(std::string_view text);
std::string format_weekdays(const WeekdaySet& days);

// Seconds from the Monday 00:00 (of the same clock) preceding a Unix instant seen through an
// offset: where in its local week an instant falls. Result in [0, seconds_per_week).
double local_week_position_seconds(std::int64_t unix_seconds, double utc_offset_hours);

// Parses a local clock time "HH:MM" or "HH:MM:SS" into seconds after midnight.
std::optional<double> parse_clock_time_seconds(std::string_view text);
std::string format_clock_time(double seconds_after_midnight);

// The proleptic Gregorian date of a day counted from 1970-01-01 (Howard Hinnant's civil_from_days).
void civil_from_days(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day);

}  // namespace reachsim
