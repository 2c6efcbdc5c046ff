// The pull scheduler's resolver (engine/counted_feed.hpp) against the event-driven one
// (engine/feed.hpp): item for item without background, where both draw nothing but the same
// sessions; in distribution with background, where they split its Poisson counts differently.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <sstream>

#include "engine/counted_feed.hpp"
#include "engine/feed.hpp"

using namespace reachsim;

namespace {

const std::int64_t monday = 1325462400;
constexpr double horizon = 3 * seconds_per_day;

Rhythm waking_hours() {
    Rhythm rhythm;
    for (int hour = 0; hour < hours_per_day; ++hour) {
        rhythm.profile.weights[static_cast<std::size_t>(hour)] = hour >= 7 ? 1.0 + hour % 3 : 0.0;
    }
    rhythm.days.fill(true);
    return rhythm;
}

struct Resolved {
    std::uint32_t views = 0;
    std::uint32_t live_views = 0;  // by a session open when the item arrived
    double first_view_time = std::numeric_limits<double>::quiet_NaN();
};

struct Outcome {
    std::map<std::uint32_t, Resolved> items;  // by post
    std::uint64_t unresolved = 0;
};

// The pull scheduler's loop before counted feeds: arrivals in time order through Feed.
Outcome through_feed(const FeedParameters& parameters, const FeedStreams& streams,
                     std::vector<FeedItem> items) {
    std::sort(items.begin(), items.end(), [](const FeedItem& a, const FeedItem& b) {
        return a.time < b.time || (a.time == b.time && a.post < b.post);
    });
    Outcome outcome;
    Feed feed(parameters, streams);
    auto on_view = [&](FeedEntry& entry, double now, bool first, Channel channel) {
        Resolved& resolved = outcome.items[entry.post];
        ++resolved.views;
        resolved.live_views += channel == Channel::live ? 1 : 0;
        if (first) {
            resolved.first_view_time = now;
        }
    };
    auto on_settle = [&](const FeedEntry& entry) { outcome.items[entry.post]; };
    for (const FeedItem& item : items) {
        feed.run_sessions_before(item.time, on_view, on_settle);
        feed.arrive(item, on_view, on_settle);
    }
    feed.run_sessions_before(std::numeric_limits<double>::infinity(), on_view, on_settle);
    outcome.unresolved = feed.finish(on_settle);
    return outcome;
}

Outcome through_counts(CountedFeed& feed, const FeedParameters& parameters,
                       const FeedStreams& streams, const std::vector<FeedItem>& items) {
    Outcome outcome;
    feed.begin(parameters, streams);
    for (const FeedItem& item : items) {
        feed.add(item);
    }
    feed.resolve([&](const FeedItem& item, const FeedViews& views) {
        CHECK(outcome.items.count(item.post) == 0);  // once per item
        outcome.items[item.post] = {views.total(), views.live ? 1U : 0U, views.first_time(item)};
        outcome.unresolved += item.recorded && views.undecided ? 1 : 0;
    });
    return outcome;
}

// `count` items at random times over the horizon, a third of them at the time of the one before.
std::vector<FeedItem> random_items(std::uint32_t count, std::uint32_t seed) {
    RandomStream random({seed, 0, StreamKind::author_posts, 0});
    std::vector<FeedItem> items;
    double time = 0;
    for (std::uint32_t post = 0; post < count; ++post) {
        if (post % 3 != 0) {
            time = random.uniform(0, horizon);
        }
        items.push_back({time, post, post % 7, 0, post % 5 != 0});  // some not recorded
    }
    return items;
}

struct Setting {
    double sessions_per_day;
    std::uint64_t depth;
    bool depth_per_session;
    double duration_seconds;  // 0: glances; < 0: lognormal with mean -duration
    double background_per_day;
    std::uint64_t item_budget = 0;  // sessions that last: the most items one shows (0: none)
};

std::string describe(const Setting& s) {
    std::ostringstream text;
    text << s.sessions_per_day << " sessions/day, depth " << s.depth
         << (s.depth_per_session ? " (geometric per session)" : "") << ", duration "
         << s.duration_seconds << " s, background " << s.background_per_day << "/day, budget "
         << s.item_budget;
    return text.str();
}

class Feeds {
  public:
    explicit Feeds(const Setting& setting) : rhythm_(waking_hours(), 1, 0, monday) {
        depth_ = Distribution::fixed_at(0);
        depth_.kind = Distribution::Kind::geometric;
        depth_.mean = static_cast<double>(setting.depth) / 3;
        depth_.per = Distribution::Per::event;
        duration_ = Distribution::fixed_at(setting.duration_seconds);
        if (setting.duration_seconds < 0) {
            duration_.kind = Distribution::Kind::lognormal;
            duration_.mean = -setting.duration_seconds;
            duration_.sigma = 1;
        }
        parameters_ = {&rhythm_,
                       setting.sessions_per_day,
                       &rhythm_,
                       setting.background_per_day,
                       setting.depth,
                       setting.depth_per_session ? &depth_ : nullptr,
                       horizon,
                       setting.duration_seconds != 0 ? &duration_ : nullptr,
                       setting.item_budget};
    }
    [[nodiscard]] const FeedParameters& parameters() const { return parameters_; }

  private:
    RateSchedule rhythm_;
    Distribution depth_;
    Distribution duration_;
    FeedParameters parameters_;
};

FeedStreams streams_of(std::uint32_t account) {
    return {{11, 0, StreamKind::follower_activity, account},
            {11, 0, StreamKind::session_times, account}};
}

}  // namespace

TEST_CASE(
    "without background, a feed resolved from counts is the event-driven feed, item for item") {
    CountedFeed counted;
    std::uint64_t views = 0;
    std::uint64_t unresolved = 0;
    for (const Setting setting :
         {Setting{3, 20, false, 0, 0}, Setting{0.5, 5, false, 0, 0}, Setting{40, 1, false, 0, 0},
          Setting{6, 30, true, 0, 0}, Setting{3, 20, false, 1200, 0},
          Setting{12, 10, true, -7200, 0}, Setting{0, 10, false, 0, 0},
          Setting{3, 5, false, -7200, 0, 8}, Setting{12, 10, true, -3600, 0, 12}}) {
        INFO(describe(setting));
        const Feeds feeds(setting);
        for (std::uint32_t account = 0; account < 40; ++account) {
            const auto items = random_items(10 + 7 * account, account);
            const Outcome expected = through_feed(feeds.parameters(), streams_of(account), items);
            const Outcome actual =
                through_counts(counted, feeds.parameters(), streams_of(account), items);
            REQUIRE(actual.items.size() == items.size());
            CHECK(actual.unresolved == expected.unresolved);
            unresolved += actual.unresolved;
            for (const auto& [post, resolved] : expected.items) {
                INFO("account " << account << ", post " << post);
                const Resolved& got = actual.items.at(post);
                CHECK(got.views == resolved.views);
                CHECK(got.live_views == resolved.live_views);
                CHECK((got.first_view_time == resolved.first_view_time ||
                       (std::isnan(got.first_view_time) && std::isnan(resolved.first_view_time))));
                views += got.views;
            }
        }
    }
    // Both outcomes occur: items seen (often, several times) and items left undecided.
    CHECK(views > 10000);
    CHECK(unresolved > 100);
}

TEST_CASE(
    "items at the very moment of a session, at the start and just before the horizon find the "
    "gap the event-driven feed gives them") {
    // The counted feed finds an item's gap through sessions bucketed by time: ties with a session
    // and the ends of the horizon are where a bucket could be off by one.
    CountedFeed counted;
    std::uint64_t views = 0;
    for (const Setting setting : {Setting{3, 4, false, 0, 0}, Setting{40, 2, false, 0, 0},
                                  Setting{12, 3, true, -3600, 0}}) {
        INFO(describe(setting));
        const Feeds feeds(setting);
        for (std::uint32_t account = 0; account < 20; ++account) {
            const FeedParameters& parameters = feeds.parameters();
            SessionClock clock;
            clock.restart(parameters.sessions, parameters.sessions_per_day, parameters.scroll_depth,
                          parameters.depth_per_session, streams_of(account).sessions,
                          parameters.session_duration);
            std::vector<FeedItem> items;
            auto add = [&](double time) {
                const auto post = static_cast<std::uint32_t>(items.size());
                items.push_back({time, post, post % 3, 0, true});
            };
            add(0);
            for (Session session = clock.next_after(-1); session.time < horizon;
                 session = clock.next_after(session.time)) {
                add(session.time);
                add(std::nextafter(session.time, 0.0));
                add(std::nextafter(session.time, horizon));
            }
            add(std::nextafter(horizon, 0.0));
            const Outcome expected = through_feed(parameters, streams_of(account), items);
            const Outcome actual = through_counts(counted, parameters, streams_of(account), items);
            REQUIRE(actual.items.size() == items.size());
            for (const auto& [post, resolved] : expected.items) {
                INFO("account " << account << ", item at " << items[post].time << " s");
                CHECK(actual.items.at(post).views == resolved.views);
                CHECK(actual.items.at(post).live_views == resolved.live_views);
                views += actual.items.at(post).views;
            }
        }
    }
    CHECK(views > 1000);  // the items at a session's moment are shown by it
}

TEST_CASE("a session's item budget limits what it shows live, in both resolvers") {
    // Lognormal sessions of 2 h on average, 5 items on opening: a budget of 8 leaves 3 live items
    // a session. Live views are fewer than without a budget, yet some remain.
    auto live_views = [](std::uint64_t budget) {
        const Feeds feeds(Setting{3, 5, false, -7200, 0, budget});
        CountedFeed counted;
        std::uint64_t live = 0;
        for (std::uint32_t account = 0; account < 40; ++account) {
            const Outcome outcome = through_counts(counted, feeds.parameters(), streams_of(account),
                                                   random_items(10 + 7 * account, account));
            for (const auto& [post, resolved] : outcome.items) {
                live += resolved.live_views;
            }
        }
        return live;
    };
    const std::uint64_t unlimited = live_views(1000000);  // the same sessions, never out of budget
    const std::uint64_t budgeted = live_views(8);
    CHECK(budgeted > 0);
    CHECK(budgeted < unlimited * 9 / 10);
}

TEST_CASE("with background, a feed resolved from counts is the event-driven feed in distribution") {
    // Per account (independent streams, the same items): items seen, views and undecided items,
    // compared between the resolvers by the difference of their means over `accounts` accounts,
    // within 5 standard errors of that difference.
    constexpr std::uint32_t accounts = 3000;
    auto items = random_items(60, 99);
    for (std::uint32_t k = 1; k <= 6; ++k) {  // some close enough to the horizon to stay undecided
        items.push_back({horizon - 1200.0 * k, 1000 + k, 1, 0, true});
    }
    CountedFeed counted;
    for (const Setting setting : {Setting{3, 20, false, 0, 480}, Setting{24, 3, false, 0, 120},
                                  Setting{6, 30, true, 0, 240}, Setting{4, 15, false, -1800, 240},
                                  Setting{4, 10, false, -3600, 240, 14}}) {
        INFO(describe(setting));
        const Feeds feeds(setting);
        struct Moments {
            double sum = 0, sum_of_squares = 0;
            void add(double x) {
                sum += x;
                sum_of_squares += x * x;
            }
            [[nodiscard]] double mean() const { return sum / accounts; }
            [[nodiscard]] double variance_of_mean() const {
                return (sum_of_squares / accounts - mean() * mean()) / (accounts - 1);
            }
        };
        std::array<std::array<Moments, 3>, 2>
            by_resolver{};  // [feed, counts][seen, views, undecided]
        for (std::uint32_t account = 0; account < accounts; ++account) {
            // Different accounts for the two, so the samples are independent.
            const Outcome outcomes[] = {
                through_feed(feeds.parameters(), streams_of(2 * account), items),
                through_counts(counted, feeds.parameters(), streams_of(2 * account + 1), items)};
            for (std::size_t r = 0; r < 2; ++r) {
                double seen = 0;
                double views = 0;
                for (const auto& [post, resolved] : outcomes[r].items) {
                    seen += resolved.views > 0 ? 1 : 0;
                    views += resolved.views;
                }
                by_resolver[r][0].add(seen);
                by_resolver[r][1].add(views);
                by_resolver[r][2].add(static_cast<double>(outcomes[r].unresolved));
            }
        }
        for (std::size_t statistic = 0; statistic < 3; ++statistic) {
            const Moments& feed = by_resolver[0][statistic];
            const Moments& counts = by_resolver[1][statistic];
            const double standard_error =
                std::sqrt(feed.variance_of_mean() + counts.variance_of_mean());
            INFO("statistic " << statistic << ": feed " << feed.mean() << ", counts "
                              << counts.mean() << " (standard error " << standard_error << ")");
            CHECK(feed.mean() > 0);
            CHECK(std::abs(feed.mean() - counts.mean()) < 5 * standard_error);
        }
    }
}
