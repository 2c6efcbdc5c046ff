#include "core/calendar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/time.hpp"

namespace reachsim {
namespace {

std::string date_label(std::int64_t days_since_epoch, bool with_day) {
    std::int64_t year = 0;
    unsigned month = 0;
    unsigned day = 0;
    civil_from_days(days_since_epoch, year, month, day);
    char buffer[32];
    if (with_day) {
        std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(year),
                      month, day);
    } else {
        std::snprintf(buffer, sizeof buffer, "%04lld-%02u", static_cast<long long>(year), month);
    }
    return buffer;
}

int days_in_month(std::int64_t year, unsigned month) {
    constexpr int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : lengths[month - 1];
}

// Appends a day to the current period, opening `opened` first when the period's `key` changes.
void add_day(std::vector<CalendarPeriod>& periods, std::vector<int>& index_of_day,
             std::int64_t& current_key, std::int64_t key, const CalendarPeriod& opened) {
    if (periods.empty() || key != current_key) {
        periods.push_back(opened);
        current_key = key;
    }
    index_of_day.push_back(static_cast<int>(periods.size()) - 1);
}

}  // namespace

RunCalendar::RunCalendar(std::int64_t start_unix_seconds, double utc_offset_hours,
                         double duration_seconds) {
    const double local_start =
        static_cast<double>(start_unix_seconds) + utc_offset_hours * seconds_per_hour;
    const auto first_local_day =
        static_cast<std::int64_t>(std::floor(local_start / seconds_per_day));
    first_midnight_seconds_ = static_cast<double>(first_local_day) * seconds_per_day - local_start;
    days_ = std::max(1, static_cast<int>(std::ceil((duration_seconds - first_midnight_seconds_) /
                                                   seconds_per_day)));
    std::int64_t week_key = 0;
    std::int64_t month_key = 0;
    for (int day = 0; day < days_; ++day) {
        const std::int64_t epoch_day = first_local_day + day;
        const double midnight = first_midnight_seconds_ + day * seconds_per_day;
        // 1970-01-01 was a Thursday.
        const int days_since_monday = static_cast<int>(((epoch_day + 3) % 7 + 7) % 7);
        const std::int64_t monday = epoch_day - days_since_monday;
        add_day(weeks_, week_of_day_, week_key, monday,
                {day - days_since_monday, days_per_week,
                 midnight - days_since_monday * seconds_per_day, 0, date_label(monday, true)});
        std::int64_t year = 0;
        unsigned month = 0;
        unsigned day_of_month = 0;
        civil_from_days(epoch_day, year, month, day_of_month);
        const int days_before = static_cast<int>(day_of_month) - 1;
        add_day(months_, month_of_day_, month_key, year * 12 + month,
                {day - days_before, days_in_month(year, month),
                 midnight - days_before * seconds_per_day, 0, date_label(epoch_day, false)});
    }
    for (auto* periods : {&weeks_, &months_}) {
        for (auto& period : *periods) {
            const double end = period.start_seconds + period.days * seconds_per_day;
            period.seconds_in_run = std::max(
                0.0, std::min(end, duration_seconds) - std::max(period.start_seconds, 0.0));
        }
    }
}

int RunCalendar::day_of(double seconds_from_start) const {
    const auto day = static_cast<int>(
        std::floor((seconds_from_start - first_midnight_seconds_) / seconds_per_day));
    return std::clamp(day, 0, days_ - 1);
}

}  // namespace reachsim
