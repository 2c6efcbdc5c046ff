// Activity processes in simulated time: a Rhythm seen from one time zone becomes a week-periodic,
// piecewise-constant intensity with an exact integral and inverse, so Poisson processes can be
// sampled by inversion and Poisson counts drawn between any two moments.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "model/model.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

class RateSchedule {
  public:
    // `rhythm` in local time at `utc_offset_hours`; simulated time 0 is `start_unix_seconds`.
    RateSchedule(const Rhythm& rhythm, double utc_offset_hours, std::int64_t start_unix_seconds);

    // Intensity (events per second) at simulated time t.
    [[nodiscard]] double intensity(double t) const;

    // Expected number of events in [from, to].
    [[nodiscard]] double expected_count(double from, double to) const {
        return cumulative(to) - cumulative(from);
    }

    // Expected number of events in [0, t]; differences give expected counts, for callers that
    // walk forward in time and can reuse the previous value.
    [[nodiscard]] double cumulative(double t) const;

    // The time after `from` at which the expected count reaches `increment`; +infinity for a
    // rate that is zero everywhere.
    [[nodiscard]] double time_after(double from, double increment) const;

    // The next event of the Poisson process after `from`.
    double next_event(double from, RandomStream& random) const {
        return time_after(from, random.standard_exponential());
    }

    [[nodiscard]] bool never_fires() const { return per_week_ <= 0; }

  private:
    static constexpr int slots = days_per_week * hours_per_day;

    std::array<double, slots> rate_per_second_{};  // by hour of the local week, Monday 00:00 first
    std::array<double, slots + 1>
        cumulative_{};  // expected count from Monday 00:00 to each slot start
    double per_week_ = 0;
    double week_position_at_start_ = 0;
    double cumulative_at_start_ = 0;
};

// Draws the times of a Poisson process with this schedule in [0, end).
std::vector<double> poisson_times(const RateSchedule& schedule, double end, RandomStream& random);

}  // namespace reachsim
