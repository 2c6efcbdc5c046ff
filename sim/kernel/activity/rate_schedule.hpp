// Activity processes in simulated time: a rate with its Rhythm, seen from one time zone, becomes a
// week-periodic, piecewise-constant intensity with an exact integral and inverse, so Poisson
// processes can be sampled by inversion and Poisson counts drawn between any two moments.
#pragma once

#include <array>
#include <cstdint>
#include <limits>

#include "model/model.hpp"

namespace reachsim {

// Rates below this (an event in 2,700 years) count as zero: a process that slow would be walked
// for ages to find an event that comes after any run ends. Per-account draws (a lognormal rate)
// can be that small even when the mean is not.
inline constexpr double least_rate_per_day = 1e-6;

class RateSchedule {
  public:
    // `events_per_active_day` following `rhythm` in local time at `utc_offset_hours`; simulated
    // time 0 is `start_unix_seconds`.
    RateSchedule(const Rhythm& rhythm, double events_per_active_day, double utc_offset_hours,
                 std::int64_t start_unix_seconds);

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

    [[nodiscard]] bool never_fires() const { return per_week_ <= 0; }

    // Walks forward through the schedule from a moment: each advance(increment, limit) returns the
    // time at which the expected count since the previous one reaches `increment` — time_after for
    // successive events, keeping its place in the week instead of finding it again each time.
    class Walker {
      public:
        // A time at or after `limit` (the caller's horizon) comes back as +infinity, found from
        // the expected count left before the limit rather than by walking there: a rare poster's
        // last draw would otherwise step over every hour up to a week past the horizon, and each
        // day's last session draw over every hour to midnight. The walker is not to be advanced
        // again after that.
        double advance(double increment, double limit);

      private:
        friend class RateSchedule;
        const RateSchedule* schedule_ = nullptr;
        std::size_t slot_ = 0;   // hour of the local week where the walk stands
        double time_ = 0;        // where the walk stands
        double week_start_ = 0;  // when its local week began (Monday 00:00)
        // The limit last asked about, and the expected count left between the walk and it: an
        // increment at least that large ends the walk at once, without stepping to the limit.
        double limit_ = std::numeric_limits<double>::quiet_NaN();
        double count_before_limit_ = 0;
    };
    [[nodiscard]] Walker walk_from(double t) const;

  private:
    static constexpr int slots = days_per_week * hours_per_day;

    std::array<double, slots> rate_per_second_{};  // by hour of the local week, Monday 00:00 first
    std::array<double, slots + 1>
        cumulative_{};  // expected count from Monday 00:00 to each slot start
    double per_week_ = 0;
    double week_position_at_start_ = 0;
    double cumulative_at_start_ = 0;
};

}  // namespace reachsim
