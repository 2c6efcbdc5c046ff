// When an account posts: a Poisson process with its own rate following its segment's rhythm, or a
// schedule of local clock times with jitter. Times are simulated seconds in [0, end), ascending.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <variant>
#include <vector>

#include "activity/rate_schedule.hpp"
#include "model/model.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

// Calls emit(t) for each scheduled post in [0, end), ascending; jitter draws come from `random`.
template <typename Emit>
void for_each_scheduled_post(const SchedulePosting& schedule, double utc_offset_hours,
                             std::int64_t start_unix_seconds, double end, RandomStream& random,
                             Emit&& emit);

// Calls emit(t) for each post of an account in [0, end), ascending. `unit_rhythm` is the
// Poisson rhythm at one post per active day (unused for schedules), `posts_per_active_day` the
// account's own rate.
template <typename Emit>
void for_each_post(const Posting& posting, const RateSchedule& unit_rhythm,
                   double posts_per_active_day, double utc_offset_hours,
                   std::int64_t start_unix_seconds, double end, RandomStream& random, Emit&& emit) {
    if (const auto* schedule = std::get_if<SchedulePosting>(&posting)) {
        for_each_scheduled_post(*schedule, utc_offset_hours, start_unix_seconds, end, random, emit);
        return;
    }
    if (posts_per_active_day < least_rate_per_day) {
        return;
    }
    RateSchedule::Walker walker = unit_rhythm.walk_from(0);
    for (double t = walker.advance(random.standard_exponential() / posts_per_active_day, end);
         t < end; t = walker.advance(random.standard_exponential() / posts_per_active_day, end)) {
        emit(t);
    }
}

// Local clock times on active days, jittered, then sorted.
template <typename Emit>
void for_each_scheduled_post(const SchedulePosting& schedule, double utc_offset_hours,
                             std::int64_t start_unix_seconds, double end, RandomStream& random,
                             Emit&& emit) {
    // Local midnight before the start, then every local day that overlaps [0, end). Days one
    // either side are included so that jitter can move a post across midnight.
    const double week_position = local_week_position_seconds(start_unix_seconds, utc_offset_hours);
    const double first_midnight = -std::fmod(week_position, seconds_per_day) - seconds_per_day;
    const auto first_weekday =
        static_cast<int>(week_position / seconds_per_day) + days_per_week - 1;
    std::vector<double> times;
    for (int day = 0; first_midnight + day * seconds_per_day < end + seconds_per_day; ++day) {
        if (!schedule.days[static_cast<std::size_t>((first_weekday + day) % days_per_week)]) {
            continue;
        }
        for (double clock : schedule.local_times_seconds) {
            double t = first_midnight + day * seconds_per_day + clock;
            if (schedule.jitter_seconds > 0) {
                t += random.uniform(-schedule.jitter_seconds, schedule.jitter_seconds);
            }
            if (t >= 0 && t < end) {
                times.push_back(t);
            }
        }
    }
    std::sort(times.begin(), times.end());
    for (double t : times) {
        emit(t);
    }
}

}  // namespace reachsim
