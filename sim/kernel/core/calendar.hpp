// The run's calendar, for campaign metrics: local days, weeks (from Monday 00:00) and calendar
// months, all in one UTC offset. Day 0 is the local day holding the start; a post belongs to the
// day, week and month in which it was made. Periods that the run covers only in part (the first
// and the last) say how much of them it covers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reachsim {

// A run of consecutive days: a week or a month.
struct CalendarPeriod {
    int first_day = 0;          // index of its first day (may be negative: before day 0)
    int days = 0;               // its length in days
    double start_seconds = 0;   // its start, in seconds from the run's start (<= 0 for the first)
    double seconds_in_run = 0;  // how much of it lies within [0, duration)
    std::string label;          // "2026-01-05" (a week's Monday) or "2026-01" (a month)
};

class RunCalendar {
  public:
    RunCalendar() = default;
    RunCalendar(std::int64_t start_unix_seconds, double utc_offset_hours, double duration_seconds);

    // The day (0 = the local day holding the start) in which an instant falls.
    [[nodiscard]] int day_of(double seconds_from_start) const;
    // Days overlapping [0, duration).
    [[nodiscard]] int days() const { return days_; }

    [[nodiscard]] const std::vector<CalendarPeriod>& weeks() const { return weeks_; }
    [[nodiscard]] const std::vector<CalendarPeriod>& months() const { return months_; }
    // The week and month of each day.
    [[nodiscard]] int week_of_day(int day) const {
        return week_of_day_[static_cast<std::size_t>(day)];
    }
    [[nodiscard]] int month_of_day(int day) const {
        return month_of_day_[static_cast<std::size_t>(day)];
    }

  private:
    double first_midnight_seconds_ = 0;  // day 0's local midnight, in seconds from the start (<= 0)
    int days_ = 0;
    std::vector<CalendarPeriod> weeks_;
    std::vector<CalendarPeriod> months_;
    std::vector<int> week_of_day_;
    std::vector<int> month_of_day_;
};

}  // namespace reachsim
