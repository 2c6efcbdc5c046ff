#include "core/time.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

namespace reachsim {
namespace {

std::optional<double> parse_number(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    double value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc() || ptr != end || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<int> parse_digits(std::string_view text) {
    if (text.empty() || text.size() > 4) {
        return std::nullopt;
    }
    int value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned month_from_march = month > 2 ? month - 3 : month + 9;
    const unsigned day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    const unsigned day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

constexpr std::array<std::string_view, days_per_week> weekday_names = {"mon", "tue", "wed", "thu",
                                                                       "fri", "sat", "sun"};

std::optional<int> parse_weekday(std::string_view name) {
    for (int i = 0; i < days_per_week; ++i) {
        if (name == weekday_names[static_cast<std::size_t>(i)]) {
            return i;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<double> parse_duration_seconds(std::string_view text) {
    if (text.size() < 2) {
        return std::nullopt;
    }
    double unit = 0;
    switch (text.back()) {
        case 's':
            unit = 1.0;
            break;
        case 'm':
            unit = seconds_per_minute;
            break;
        case 'h':
            unit = seconds_per_hour;
            break;
        case 'd':
            unit = seconds_per_day;
            break;
        case 'w':
            unit = seconds_per_week;
            break;
        default:
            return std::nullopt;
    }
    auto number = parse_number(text.substr(0, text.size() - 1));
    if (!number || *number < 0) {
        return std::nullopt;
    }
    return *number * unit;
}

std::string format_duration(double seconds) {
    struct Unit {
        double seconds;
        char suffix;
    };
    for (auto unit :
         {Unit{seconds_per_day, 'd'}, Unit{seconds_per_hour, 'h'}, Unit{seconds_per_minute, 'm'}}) {
        const double count = seconds / unit.seconds;
        if (seconds > 0 && count == std::floor(count)) {
            return std::to_string(static_cast<long long>(count)) + unit.suffix;
        }
    }
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17gs", seconds);
    return buffer;
}

std::optional<std::int64_t> parse_utc_instant(std::string_view text) {
    // YYYY-MM-DDTHH:MM[:SS]Z
    if (text.size() != 17 && text.size() != 20) {
        return std::nullopt;
    }
    if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') ||
        text[13] != ':' || text.back() != 'Z') {
        return std::nullopt;
    }
    auto year = parse_digits(text.substr(0, 4));
    auto month = parse_digits(text.substr(5, 2));
    auto day = parse_digits(text.substr(8, 2));
    auto hour = parse_digits(text.substr(11, 2));
    auto minute = parse_digits(text.substr(14, 2));
    std::optional<int> second = 0;
    if (text.size() == 20) {
        if (text[16] != ':') {
            return std::nullopt;
        }
        second = parse_digits(text.substr(17, 2));
    }
    if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 ||
        *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 59) {
        return std::nullopt;
    }
    const auto days =
        days_from_civil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day));
    std::int64_t year_back = 0;
    unsigned month_back = 0;
    unsigned day_back = 0;
    civil_from_days(days, year_back, month_back, day_back);
    if (static_cast<int>(month_back) != *month) {  // e.g. February 30th
        return std::nullopt;
    }
    return days * 86400 + *hour * 3600 + *minute * 60 + *second;
}

std::string format_utc_instant(std::int64_t unix_seconds) {
    const std::int64_t days =
        unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
    const std::int64_t second_of_day = unix_seconds - days * 86400;
    std::int64_t year = 0;
    unsigned month = 0;
    unsigned day = 0;
    civil_from_days(days, year, month, day);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                  static_cast<long long>(year), month, day,
                  static_cast<long long>(second_of_day / 3600),
                  static_cast<long long>(second_of_day / 60 % 60),
                  static_cast<long long>(second_of_day % 60));
    return buffer;
}

std::optional<double> parse_utc_offset_hours(std::string_view text) {
    if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) {
        return std::nullopt;
    }
    const double sign = text[0] == '-' ? -1.0 : 1.0;
    text.remove_prefix(1);
    double hours = 0;
    if (auto colon = text.find(':'); colon != std::string_view::npos) {
        auto whole = parse_digits(text.substr(0, colon));
        auto minutes = parse_digits(text.substr(colon + 1));
        if (!whole || !minutes || *minutes > 59 || text.size() - colon - 1 != 2) {
            return std::nullopt;
        }
        hours = *whole + *minutes / 60.0;
    } else {
        auto number = parse_number(text);
        if (!number) {
            return std::nullopt;
        }
        hours = *number;
    }
    if (hours > 14.0) {
        return std::nullopt;
    }
    return sign * hours;
}

std::string format_utc_offset(double hours) {
    const long total_minutes = std::lround(std::abs(hours) * 60.0);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%c%02ld:%02ld", hours < 0 ? '-' : '+', total_minutes / 60,
                  total_minutes % 60);
    return buffer;
}

std::optional<WeekdaySet> parse_weekdays(std::string_view text) {
    WeekdaySet days{};
    if (text == "all") {
        days.fill(true);
        return days;
    }
    if (text.empty()) {
        return std::nullopt;
    }
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto part = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        if (comma != std::string_view::npos && text.empty()) {
            return std::nullopt;
        }
        const auto dash = part.find('-');
        auto first = parse_weekday(part.substr(0, dash));
        auto last = dash == std::string_view::npos ? first : parse_weekday(part.substr(dash + 1));
        if (!first || !last) {
            return std::nullopt;
        }
        for (int day = *first;; day = (day + 1) % days_per_week) {  // ranges may wrap: "fri-mon"
            days[static_cast<std::size_t>(day)] = true;
            if (day == *last) {
                break;
            }
        }
    }
    return days;
}

std::string format_weekdays(const WeekdaySet& days) {
    std::string text;
    for (std::size_t day = 0; day < days.size(); ++day) {
        if (days[day]) {
            if (!text.empty()) {
                text += ',';
            }
            text += weekday_names[day];
        }
    }
    return text;
}

double local_week_position_seconds(std::int64_t unix_seconds, double utc_offset_hours) {
    // 1970-01-05 was a Monday: Unix second 4 * 86400 starts a week.
    constexpr std::int64_t monday_epoch = 4 * 86400;
    const double local =
        static_cast<double>(unix_seconds - monday_epoch) + utc_offset_hours * seconds_per_hour;
    double position = std::fmod(local, seconds_per_week);
    if (position < 0) {
        position += seconds_per_week;
    }
    return position;
}

std::optional<double> parse_clock_time_seconds(std::string_view text) {
    if (text.size() != 5 && text.size() != 8) {
        return std::nullopt;
    }
    auto hour = parse_digits(text.substr(0, 2));
    auto minute = parse_digits(text.substr(3, 2));
    std::optional<int> second = 0;
    if (text.size() == 8) {
        if (text[5] != ':') {
            return std::nullopt;
        }
        second = parse_digits(text.substr(6, 2));
    }
    if (text[2] != ':' || !hour || !minute || !second || *hour > 23 || *minute > 59 ||
        *second > 59) {
        return std::nullopt;
    }
    return *hour * seconds_per_hour + *minute * seconds_per_minute + *second;
}

std::string format_clock_time(double seconds_after_midnight) {
    const long total = std::lround(seconds_after_midnight);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%02ld:%02ld:%02ld", total / 3600, total / 60 % 60,
                  total % 60);
    return buffer;
}

void civil_from_days(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto day_of_era = static_cast<unsigned>(days - era * 146097);
    const unsigned year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const unsigned day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const unsigned month_index = (5 * day_of_year + 2) / 153;
    day = day_of_year - (153 * month_index + 2) / 5 + 1;
    month = month_index < 10 ? month_index + 3 : month_index - 9;
    year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2);
}

}  // namespace reachsim
