// Views that do not come through the feed: notifications of an author's posts, and visits to the
// author's profile, which shows their newest posts. Both depend only on the (follower, author)
// pair and the author's post times — never on what else fills the feed — so every scheduler
// computes them here, from streams keyed by the pair, and merges them with the feed's views.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "activity/rate_schedule.hpp"
#include "engine/feed.hpp"
#include "engine/record.hpp"
#include "model/model.hpp"
#include "random/draw.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

struct OutsideView {
    double time = 0;
    std::uint32_t post = 0;
    Channel channel = Channel::notification;
};

// What one follower does outside the feed: its segment's settings and its sessions' rhythm.
struct OutsideFeedParameters {
    double notification_share = 0;                  // of the follower's follows
    const Notifications* notifications = nullptr;   // null: never notified (else: the delays)
    const ProfileVisits* profile_visits = nullptr;  // null: never visits profiles
    const RateSchedule* rhythm = nullptr;           // the follower's sessions at unit rate
    double horizon = 0;

    [[nodiscard]] bool any() const { return notifications != nullptr || profile_visits != nullptr; }
};

// Whether `follower` is notified of `author`'s posts: one draw per pair, the same in every
// replicate (which pairs notify is part of the world, like the accounts' rates).
inline bool notifies(double share, std::uint64_t seed, std::uint32_t follower,
                     std::uint32_t author) {
    if (!(share > 0)) {
        return false;
    }
    RandomStream random(pair_stream_key(seed, 0, StreamKind::notified_pairs, follower, author));
    return random.uniform_open01() < share;
}

// The posts a profile shows at `visit`: the newest `depth` of those made by then, as a range of
// positions in `times` (ascending).
inline std::pair<std::size_t, std::size_t> shown_on_profile(std::span<const double> times,
                                                            double visit, std::uint32_t depth) {
    const auto newest = static_cast<std::size_t>(
        std::upper_bound(times.begin(), times.end(), visit) - times.begin());
    return {newest > depth ? newest - depth : 0, newest};
}

// Appends the views of `author`'s posts — `times`, ascending, numbered from `first_post` — that
// reach `follower` outside the feed before the horizon: a notification of each post of a notified
// pair after a drawn reaction delay, and the posts each profile visit shows. Visits to the pair's
// profile are a Poisson process at profile_visits.per_day along the follower's session rhythm.
inline void append_outside_views(const OutsideFeedParameters& parameters, std::uint64_t seed,
                                 std::uint32_t replicate, std::uint32_t follower,
                                 std::uint32_t author, std::span<const double> times,
                                 std::uint32_t first_post, std::vector<OutsideView>& views) {
    if (times.empty()) {
        return;
    }
    const double horizon = parameters.horizon;
    if (parameters.notifications != nullptr &&
        notifies(parameters.notification_share, seed, follower, author)) {
        RandomStream random(
            pair_stream_key(seed, replicate, StreamKind::notification_delays, follower, author));
        for (std::size_t i = 0; i < times.size(); ++i) {
            const double time = times[i] + draw(parameters.notifications->delay, random);
            if (time < horizon) {
                views.push_back(
                    {time, first_post + static_cast<std::uint32_t>(i), Channel::notification});
            }
        }
    }
    const ProfileVisits* visits = parameters.profile_visits;
    if (visits != nullptr && visits->per_day > 0) {
        // Visits before the author's first post show nothing. Given their number (Poisson), a
        // Poisson process's points are independent draws from its intensity: most pairs draw a
        // count of 0 and nothing else.
        const double unit_events = parameters.rhythm->expected_count(times.front(), horizon);
        RandomStream random(
            pair_stream_key(seed, replicate, StreamKind::profile_visits, follower, author));
        const std::int64_t count = random.poisson(visits->per_day * unit_events);
        for (std::int64_t k = 0; k < count; ++k) {
            const double visit =
                parameters.rhythm->time_after(times.front(), random.uniform_open01() * unit_events);
            if (!(visit < horizon)) {
                continue;
            }
            const auto [oldest, newest] = shown_on_profile(times, visit, visits->depth);
            for (std::size_t i = oldest; i < newest; ++i) {
                views.push_back(
                    {visit, first_post + static_cast<std::uint32_t>(i), Channel::profile});
            }
        }
    }
}

// For the event-driven schedulers: runs `feed`'s sessions before `until` and, in time order among
// them, the views outside it from views[next] on (sorted by time): on_outside(view) for each.
template <typename OnView, typename OnSettle, typename OnOutside>
void run_sessions_and_outside_views_before(double until, Feed& feed,
                                           const std::vector<OutsideView>& views, std::size_t& next,
                                           OnView& on_view, OnSettle& on_settle,
                                           OnOutside&& on_outside) {
    for (; next < views.size() && views[next].time < until; ++next) {
        feed.run_sessions_before(views[next].time, on_view, on_settle);
        on_outside(views[next]);
    }
    feed.run_sessions_before(until, on_view, on_settle);
}

inline void sort_by_time(std::vector<OutsideView>& views) {
    std::sort(views.begin(), views.end(), [](const OutsideView& a, const OutsideView& b) {
        return a.time != b.time ? a.time < b.time : a.post < b.post;
    });
}

// Every view of one item by one account, by channel, and the first of them.
struct ItemViews {
    std::array<std::uint32_t, channel_count> by_channel{};
    double first_time = std::numeric_limits<double>::quiet_NaN();
    Channel first_channel = Channel::feed;

    void add(Channel channel, double time, std::uint32_t count = 1) {
        if (count == 0) {
            return;
        }
        by_channel[static_cast<std::size_t>(channel)] += count;
        if (!(first_time <= time)) {  // NaN (none so far) or later
            first_time = time;
            first_channel = channel;
        }
    }

    [[nodiscard]] std::uint32_t total() const {
        std::uint32_t sum = 0;
        for (const std::uint32_t count : by_channel) {
            sum += count;
        }
        return sum;
    }
};

}  // namespace reachsim
