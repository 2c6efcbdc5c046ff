#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "activity/posting.hpp"
#include "activity/rate_schedule.hpp"
#include "core/time.hpp"

using namespace reachsim;

namespace {

const std::int64_t monday = 1325462400;  // 2012-01-02T00:00:00Z
constexpr double no_limit = std::numeric_limits<double>::infinity();

Rhythm office_rhythm() {
    Rhythm rhythm;
    rhythm.profile.name = "office";
    for (int hour = 9; hour < 17; ++hour) {
        rhythm.profile.weights[static_cast<std::size_t>(hour)] = 3.0;  // 8 hours at 3 = mean 1
    }
    rhythm.days = *parse_weekdays("mon-fri");
    return rhythm;
}

}  // namespace

TEST_CASE("intensity follows the profile in local time on active days only") {
    const RateSchedule schedule(office_rhythm(), 24, -5.0, monday);
    const double per_second_at_weight_3 = 24.0 / 86400.0 * 3.0;
    // Monday 00:00 UTC is Sunday 19:00 at UTC-5; Monday 09:00 local is 14:00 UTC.
    CHECK(schedule.intensity(14 * 3600.0 + 1) == Approx(per_second_at_weight_3));
    CHECK(schedule.intensity(13 * 3600.0 + 1) == 0.0);
    CHECK(schedule.intensity(5 * 86400.0 + 14 * 3600.0 + 1) == 0.0);  // Saturday
}

TEST_CASE("expected counts integrate the intensity exactly") {
    const RateSchedule schedule(office_rhythm(), 10, 5.5, monday);
    CHECK(schedule.expected_count(0, seconds_per_week) == Approx(50.0).epsilon(1e-12));
    CHECK(schedule.expected_count(1000, 1000 + 3 * seconds_per_week) ==
          Approx(150.0).epsilon(1e-12));
    // Riemann sum over one local day as an independent check.
    double sum = 0;
    const double step = 1.0;
    for (double t = 0; t < seconds_per_day; t += step) {
        sum += schedule.intensity(t + step / 2) * step;
    }
    CHECK(schedule.expected_count(0, seconds_per_day) == Approx(sum).epsilon(1e-6));
}

TEST_CASE("time_after inverts the expected count, across inactive nights and weekends") {
    const RateSchedule schedule(office_rhythm(), 3, 1.0, monday);
    for (double from : {0.0, 3600.0 * 17.5, 4.5 * 86400, 9.99 * 86400}) {
        for (double increment : {1e-6, 0.3, 2.0, 17.0, 100.0}) {
            const double until = schedule.time_after(from, increment);
            CHECK(until >= from);
            // Relative 1e-9, or 1e-12 absolute: the rounding of cumulative counts of order 10.
            CHECK(schedule.expected_count(from, until) ==
                  Approx(increment).epsilon(1e-9).margin(1e-12));
        }
    }
    CHECK(std::isinf(RateSchedule(office_rhythm(), 0, 0, monday).time_after(0, 1.0)));
}

TEST_CASE("a walker through the schedule gives the times time_after gives, event after event") {
    const RateSchedule schedule(office_rhythm(), 3, 1.0, monday);
    RandomStream random({7, 0, StreamKind::author_posts, 0});
    for (double from : {0.0, 3600.0 * 17.5, 4.5 * 86400}) {
        RateSchedule::Walker walker = schedule.walk_from(from);
        double expected = from;
        for (int event = 0; event < 200; ++event) {
            // Increments up to ~20 active days, so walks cross nights, weekends and weeks.
            const double increment = 20 * random.standard_exponential();
            expected = schedule.time_after(expected, increment);
            const double walked = walker.advance(increment, no_limit);
            CHECK(walked == Approx(expected).epsilon(1e-12).margin(1e-6));
            expected = walked;  // both continue from the same moment
        }
    }
    CHECK(std::isinf(
        RateSchedule(office_rhythm(), 0, 0, monday).walk_from(0).advance(1.0, no_limit)));
}

TEST_CASE("a walker with a limit gives the same times before it and +infinity from it on") {
    const RateSchedule schedule(office_rhythm(), 0.5, 1.0, monday);
    RandomStream random({8, 0, StreamKind::author_posts, 0});
    for (int walk = 0; walk < 2000; ++walk) {
        // Limits from a few hours to two weeks, some exactly on an hour slot's edge, where the
        // walk stops with the event still ahead.
        const double limit = walk % 4 == 0 ? 3600.0 * static_cast<double>(1 + walk % 300)
                                           : 14 * 86400 * random.uniform_open01();
        RateSchedule::Walker unlimited = schedule.walk_from(0);
        RateSchedule::Walker limited = schedule.walk_from(0);
        while (true) {
            const double increment = random.standard_exponential();
            const double expected = unlimited.advance(increment, no_limit);
            const double walked = limited.advance(increment, limit);
            if (expected >= limit) {
                CHECK(std::isinf(walked));
                break;
            }
            REQUIRE(walked == expected);  // the same walk, bit for bit
        }
    }
    // An event exactly at the limit (inside an hour slot, 0.7 of a day's count) is not before it.
    RateSchedule::Walker walker = schedule.walk_from(0);
    const double first = schedule.walk_from(0).advance(0.7, no_limit);
    CHECK(std::isinf(walker.advance(0.7, first)));
}

TEST_CASE("Poisson sampling has the right count and hour-of-day shares") {
    // Over 20 weeks at 10 per active day: N ~ Poisson(1000). Each event falls in one of the eight
    // office hours with probability 1/8. Tolerances: 5 standard deviations.
    const RateSchedule schedule(office_rhythm(), 10, 0, monday);
    RandomStream random({42, 0, StreamKind::author_posts, 0});
    const double weeks = 20;
    std::vector<double> times;
    for_each_post(PoissonPosting{}, schedule, 1, 0, monday, weeks * seconds_per_week, random,
                  [&](double t) { times.push_back(t); });
    const double expected = 10 * 5 * weeks;
    CHECK(std::abs(static_cast<double>(times.size()) - expected) < 5 * std::sqrt(expected));
    std::array<double, 24> by_hour{};
    for (double t : times) {
        const double week_position = std::fmod(t, seconds_per_week);
        CHECK(week_position < 5 * seconds_per_day);  // never at weekends
        by_hour[static_cast<std::size_t>(std::fmod(t, seconds_per_day) / 3600)] += 1;
    }
    const auto n = static_cast<double>(times.size());
    for (int hour = 0; hour < 24; ++hour) {
        const double share = by_hour[static_cast<std::size_t>(hour)] / n;
        if (hour < 9 || hour >= 17) {
            CHECK(share == 0.0);
        } else {
            CHECK(std::abs(share - 0.125) < 5 * std::sqrt(0.125 * 0.875 / n));
        }
    }
}

TEST_CASE("a posting schedule posts at local clock times on active days, within the jitter") {
    // Starts Monday 2012-01-02 00:00 UTC; the author is at UTC+1, posting at 09:30 and 14:00 local
    // on weekdays, each shifted uniformly within ±10 minutes: 4 weeks give 40 posts. The mean
    // shift has sd 600/sqrt(3)/sqrt(40) = 55 s; we accept 5 sd.
    SchedulePosting schedule;
    schedule.local_times_seconds = {9.5 * 3600, 14 * 3600};
    schedule.days = *parse_weekdays("mon-fri");
    schedule.jitter_seconds = 600;
    RandomStream random({3, 0, StreamKind::author_posts, 0});
    std::vector<double> times;
    for_each_scheduled_post(schedule, 1.0, monday, 28 * seconds_per_day, random,
                            [&](double t) { times.push_back(t); });
    REQUIRE(times.size() == 40);
    double shift_sum = 0;
    double largest_shift = 0;
    for (double t : times) {
        const double local = t + 3600;
        const auto weekday = static_cast<int>(std::floor(local / seconds_per_day)) % 7;
        CHECK(weekday < 5);
        const double clock = std::fmod(local, seconds_per_day);
        const double shift =
            std::abs(clock - 9.5 * 3600) < 3600 ? clock - 9.5 * 3600 : clock - 14 * 3600;
        CHECK(std::abs(shift) <= 600);
        shift_sum += shift;
        largest_shift = std::max(largest_shift, std::abs(shift));
    }
    CHECK(std::abs(shift_sum / 40) < 5 * 600 / std::sqrt(3.0) / std::sqrt(40.0));
    CHECK(largest_shift > 0);
    CHECK(std::is_sorted(times.begin(), times.end()));
}
