#include "activity/posting.hpp"

#include <algorithm>
#include <cmath>

#include "activity/rate_schedule.hpp"

namespace reachsim {
namespace {

std::vector<double> scheduled_times(const SchedulePosting& schedule, const Model& model,
                                    RandomStream& random) {
    // Local midnight before the start, then every local day that overlaps [0, duration). Days
    // one either side are included so that jitter can move a post across midnight.
    const double week_position =
        local_week_position_seconds(model.start_unix_seconds, model.author.utc_offset_hours);
    const double first_midnight = -std::fmod(week_position, seconds_per_day) - seconds_per_day;
    const auto first_weekday =
        static_cast<int>(week_position / seconds_per_day) + days_per_week - 1;
    std::vector<double> times;
    for (int day = 0;
         first_midnight + day * seconds_per_day < model.duration_seconds + seconds_per_day; ++day) {
        if (!schedule.days[static_cast<std::size_t>((first_weekday + day) % days_per_week)]) {
            continue;
        }
        for (double clock : schedule.local_times_seconds) {
            double t = first_midnight + day * seconds_per_day + clock;
            if (schedule.jitter_seconds > 0) {
                t += random.uniform(-schedule.jitter_seconds, schedule.jitter_seconds);
            }
            if (t >= 0 && t < model.duration_seconds) {
                times.push_back(t);
            }
        }
    }
    std::sort(times.begin(), times.end());
    return times;
}

}  // namespace

std::vector<double> author_post_times(const Model& model, RandomStream& random) {
    if (const auto* poisson = std::get_if<PoissonPosting>(&model.author.posting)) {
        const RateSchedule schedule(poisson->rhythm, model.author.utc_offset_hours,
                                    model.start_unix_seconds);
        return poisson_times(schedule, model.duration_seconds, random);
    }
    return scheduled_times(std::get<SchedulePosting>(model.author.posting), model, random);
}

}  // namespace reachsim
