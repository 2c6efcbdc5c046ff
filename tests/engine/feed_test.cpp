// The one feed resolver and the session clock: what a session shows, when entries sink, and
// sessions that do not depend on what arrives.
#include <catch2/catch.hpp>

#include <map>

#include "engine/feed.hpp"
#include "engine/session_clock.hpp"

using namespace reachsim;

namespace {

const std::int64_t monday = 1325462400;

Rhythm every_hour() {
    Rhythm rhythm;
    rhythm.profile.weights.fill(1.0);
    rhythm.days.fill(true);
    return rhythm;
}

}  // namespace

TEST_CASE("sessions are the same whatever moments they are asked about") {
    const RateSchedule rhythm(every_hour(), 1, 0, monday);
    const StreamKey key{4, 0, StreamKind::session_times, 9};
    SessionClock all;
    all.restart(&rhythm, 5, 20, nullptr, key);
    std::vector<double> times;
    for (Session s = all.next_after(0); s.time < 20 * seconds_per_day; s = all.next_after(s.time)) {
        times.push_back(s.time);
    }
    REQUIRE(times.size() > 50);
    // Asked only now and then (as a feed that is often empty asks), the clock gives the first
    // session after each moment of the same sequence.
    RandomStream jumps({5, 0, StreamKind::author_posts, 0});
    SessionClock sparse;
    sparse.restart(&rhythm, 5, 20, nullptr, key);
    for (double t = 0; t < 19 * seconds_per_day; t += jumps.uniform(0, 2 * seconds_per_day)) {
        const double next = sparse.next_after(t).time;
        CHECK(next == *std::upper_bound(times.begin(), times.end(), t));
    }
}

TEST_CASE("a session shows the entries within its depth; entries sink once, after depth arrivals") {
    const RateSchedule rhythm(every_hour(), 1, 0, monday);
    FeedParameters parameters{&rhythm, 24, &rhythm, 0, 3, nullptr, 30 * seconds_per_day};
    Feed feed(parameters,
              {{1, 0, StreamKind::follower_activity, 2}, {1, 0, StreamKind::session_times, 2}});
    // Items every 20 minutes for 5 days, no background: at 24 sessions a day (one an hour on
    // average) a session shows the newest 3 items, so an item is seen iff a session comes before
    // three more items arrive, within an hour.
    std::map<std::uint32_t, int> settled;
    std::map<std::uint32_t, double> arrived;
    std::map<std::uint32_t, int> first_views;
    const std::uint32_t total = 5 * 72;
    auto on_view = [&](FeedEntry& entry, double now, bool first, Channel) {
        CHECK(now >= arrived[entry.post]);
        if (entry.post + 3 < total) {  // the last three never sink: nothing arrives after them
            CHECK(now < arrived[entry.post] + 3 * 1200.0);  // before three more items arrived
        }
        first_views[entry.post] += first ? 1 : 0;
        CHECK(settled.count(entry.post) == 0);
    };
    auto on_settle = [&](const FeedEntry& entry) { ++settled[entry.post]; };
    for (std::uint32_t post = 0; post < total; ++post) {
        const double t = post * 1200.0;
        feed.run_sessions_before(t, on_view, on_settle);
        arrived[post] = t;
        feed.arrive({t, post, 0, 0, true}, on_view, on_settle);
    }
    feed.run_sessions_before(std::numeric_limits<double>::infinity(), on_view, on_settle);
    feed.finish(on_settle);
    CHECK(settled.size() == total);
    for (const auto& [post, count] : settled) {
        CHECK(count == 1);
    }
    for (const auto& [post, count] : first_views) {
        CHECK(count == 1);
    }
    // P(seen) = 1 - exp(-24/day x 1 hour) = 1 - e^-1: about 0.63 of 360 items (sd 9).
    CHECK(std::abs(static_cast<double>(first_views.size()) - total * (1 - std::exp(-1.0))) <
          5 * std::sqrt(total * 0.63 * 0.37));
}
