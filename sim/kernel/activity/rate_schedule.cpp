#include "activity/rate_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace reachsim {

RateSchedule::RateSchedule(const Rhythm& rhythm, double events_per_active_day,
                           double utc_offset_hours, std::int64_t start_unix_seconds) {
    const double mean_per_second = events_per_active_day / seconds_per_day;
    for (int slot = 0; slot < slots; ++slot) {
        const auto day = static_cast<std::size_t>(slot / hours_per_day);
        const auto hour = static_cast<std::size_t>(slot % hours_per_day);
        const auto index = static_cast<std::size_t>(slot);
        rate_per_second_[index] =
            rhythm.days[day] ? mean_per_second * rhythm.profile.weights[hour] : 0.0;
        cumulative_[index + 1] = cumulative_[index] + rate_per_second_[index] * seconds_per_hour;
    }
    per_week_ = cumulative_[slots];
    week_position_at_start_ = local_week_position_seconds(start_unix_seconds, utc_offset_hours);
    cumulative_at_start_ = cumulative(0.0);
}

double RateSchedule::intensity(double t) const {
    double position = std::fmod(week_position_at_start_ + t, seconds_per_week);
    auto slot = static_cast<std::size_t>(position / seconds_per_hour);
    return rate_per_second_[std::min<std::size_t>(slot, slots - 1)];
}

// Expected count from the Monday 00:00 before the start to simulated time t, minus the count
// up to the start (so cumulative(0) == 0 after construction).
double RateSchedule::cumulative(double t) const {
    const double position = week_position_at_start_ + t;
    const double weeks = std::floor(position / seconds_per_week);
    const double in_week = position - weeks * seconds_per_week;
    const auto slot =
        std::min<std::size_t>(static_cast<std::size_t>(in_week / seconds_per_hour), slots - 1);
    const double in_slot = in_week - static_cast<double>(slot) * seconds_per_hour;
    return weeks * per_week_ + cumulative_[slot] + rate_per_second_[slot] * in_slot -
           cumulative_at_start_;
}

double RateSchedule::time_after(double from, double increment) const {
    if (per_week_ <= 0) {
        return std::numeric_limits<double>::infinity();
    }
    const double target = cumulative(from) + increment + cumulative_at_start_;
    double weeks = std::floor(target / per_week_);
    double remainder = target - weeks * per_week_;
    if (remainder >= per_week_) {  // rounding at a week boundary
        weeks += 1;
        remainder = 0;
    }
    // The slot whose cumulative range holds the remainder; it has a positive rate.
    const auto upper = std::upper_bound(cumulative_.begin(), cumulative_.end(), remainder);
    const auto slot = static_cast<std::size_t>(std::distance(cumulative_.begin(), upper) - 1);
    const double in_slot = (remainder - cumulative_[slot]) / rate_per_second_[slot];
    const double position =
        weeks * seconds_per_week + static_cast<double>(slot) * seconds_per_hour + in_slot;
    // Never step backwards through rounding.
    return std::max(from, position - week_position_at_start_);
}

RateSchedule::Walker RateSchedule::walk_from(double t) const {
    Walker walker;
    walker.schedule_ = this;
    const double position = week_position_at_start_ + t;
    const double in_week = position - std::floor(position / seconds_per_week) * seconds_per_week;
    walker.slot_ =
        std::min<std::size_t>(static_cast<std::size_t>(in_week / seconds_per_hour), slots - 1);
    walker.time_ = t;
    walker.week_start_ = t - in_week;
    return walker;
}

double RateSchedule::Walker::advance(double increment, double limit) {
    const RateSchedule& schedule = *schedule_;
    if (schedule.per_week_ <= 0) {
        return std::numeric_limits<double>::infinity();
    }
    // The last draw before the limit (every day's last session draw) would otherwise step over
    // every hour to the limit: the count left before it says at once that it passes.
    if (limit != limit_) {
        limit_ = limit;
        count_before_limit_ = std::isfinite(limit) ? schedule.expected_count(time_, limit)
                                                   : std::numeric_limits<double>::infinity();
    }
    if (increment >= count_before_limit_) {
        count_before_limit_ = 0;
        return std::numeric_limits<double>::infinity();
    }
    count_before_limit_ -= increment;
    if (increment >= schedule.per_week_) {  // whole weeks at once
        const double weeks = std::floor(increment / schedule.per_week_);
        week_start_ += weeks * seconds_per_week;
        time_ += weeks * seconds_per_week;
        increment = std::fmod(increment, schedule.per_week_);  // exact: below a week's count
    }
    // Hour slot by hour slot: for the few events a day of sessions or posts, stepping over a few
    // slots costs less than searching the week (measured: bench/single_author_bench.cpp).
    double slot_end = week_start_ + static_cast<double>(slot_ + 1) * seconds_per_hour;
    while (time_ < limit) {
        const double rate = schedule.rate_per_second_[slot_];
        const double available = rate * (slot_end - time_);
        if (increment < available) {
            time_ = std::min(time_ + increment / rate, slot_end);
            return time_ < limit ? time_ : std::numeric_limits<double>::infinity();
        }
        increment -= available;
        time_ = slot_end;
        slot_end += seconds_per_hour;
        if (++slot_ == slots) {
            slot_ = 0;
            week_start_ += seconds_per_week;
        }
    }
    return std::numeric_limits<double>::infinity();
}

}  // namespace reachsim
