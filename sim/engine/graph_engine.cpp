#include "engine/graph_engine.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <limits>

#include "core/errors.hpp"
#include "random/random_stream.hpp"

namespace reachsim {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
constexpr std::size_t followers_per_task = 256;

// Every account's posts of one replicate, as rows of a CSR by author.
struct PostTimes {
    std::vector<std::uint64_t> offsets;
    std::vector<double> times;
};

PostTimes draw_post_times(const GraphWorld& world, double end, std::uint64_t seed,
                          std::uint32_t replicate) {
    const Accounts& accounts = world.accounts;
    const std::size_t count = accounts.size();
    auto for_each_post = [&](std::size_t a, auto&& emit) {
        const double rate = accounts.posts_per_day[a];
        if (rate <= 0) {
            return;
        }
        const RateSchedule& shape = accounts.shape_table[accounts.shapes[a]].posting;
        RandomStream random(
            {seed, replicate, StreamKind::author_posts, static_cast<std::uint32_t>(a)});
        for (double t = shape.time_after(0, random.standard_exponential() / rate); t < end;
             t = shape.time_after(t, random.standard_exponential() / rate)) {
            emit(t);
        }
    };
    PostTimes posts;
    posts.offsets.assign(count + 1, 0);
    tbb::parallel_for(std::size_t{0}, count, [&](std::size_t a) {
        std::uint64_t n = 0;
        for_each_post(a, [&n](double) { ++n; });
        posts.offsets[a + 1] = n;
    });
    for (std::size_t a = 0; a < count; ++a) {
        posts.offsets[a + 1] += posts.offsets[a];
    }
    if (posts.offsets.back() > std::numeric_limits<std::uint32_t>::max()) {
        throw input_error(
            "more than 2^32 posts in one replicate: shorten simulation.duration or follow_up");
    }
    posts.times.resize(posts.offsets.back());
    tbb::parallel_for(std::size_t{0}, count, [&](std::size_t a) {
        std::uint64_t next = posts.offsets[a];
        for_each_post(a, [&](double t) { posts.times[next++] = t; });
    });
    return posts;
}

struct Arrival {
    double time;
    std::uint32_t post;  // index into PostTimes::times
    AccountIndex author;
};

// A post in one feed, still within reach of the deepest session.
struct InFeed {
    std::uint64_t arrivals_before;  // feed arrivals counted up to and including this one
    std::uint32_t post;
    AccountIndex author;
    std::uint32_t views;  // sessions that showed it to this follower
    bool recorded;        // posted during simulation.duration
};

// One thread's working memory and its share of the results. Per-author counts are summed per
// thread and merged after the replicate, so the hot path has no atomics and no shared lines.
struct Scratch {
    std::vector<Arrival> arrivals;
    std::vector<InFeed> feed;                // oldest first; entries before `oldest` have sunk
    std::vector<std::uint64_t> reach;        // by author
    std::vector<std::uint64_t> impressions;  // by author
    LogHistogram first_view_age;
    std::uint64_t deliveries = 0;
    std::uint64_t unresolved_pairs = 0;
};

template <typename T>
void atomic_add(T& target, T amount) {
    std::atomic_ref<T>(target).fetch_add(amount, std::memory_order_relaxed);
}

void atomic_min(double& target, double value) {
    std::atomic_ref<double> ref(target);
    double current = ref.load(std::memory_order_relaxed);
    while (!(current <= value) &&
           !ref.compare_exchange_weak(current, value, std::memory_order_relaxed)) {
    }
}

// Per-replicate state shared by all followers.
struct Replicate {
    const GraphModel& model;
    const GraphWorld& world;
    const PostTimes& posts;
    std::uint64_t seed;
    std::uint32_t number;
    const std::vector<std::uint64_t>& tracked_first_row;  // by tracked author: its first post's row
    std::size_t tracked_row_base;                         // this replicate's first row in results
    GraphResults& results;
};

class FollowerFeed {
  public:
    FollowerFeed(const Replicate& replicate, Scratch& scratch) : r_(replicate), s_(scratch) {}

    void run(AccountIndex follower) {
        const Accounts& accounts = r_.world.accounts;
        const double horizon = r_.model.duration_seconds + r_.model.follow_up_seconds;
        gather(follower);
        const ActivityShapes& shapes = accounts.shape_table[accounts.shapes[follower]];
        const double session_rate = accounts.sessions_per_day[follower];
        const double extra_rate = accounts.extra_feed_per_day[accounts.segment[follower]];
        const std::uint64_t depth = accounts.feed_depth[follower];
        RandomStream random({r_.seed, r_.number, StreamKind::follower_activity, follower});
        auto next_session = [&](double from) {
            return session_rate > 0 ? shapes.sessions.time_after(
                                          from, random.standard_exponential() / session_rate)
                                    : infinity;
        };
        // Background arrivals since the previous event: a Poisson count (the cumulative expected
        // count is carried forward so that each event evaluates it once).
        double extra_cumulative = 0;
        auto background = [&](double to) -> std::uint64_t {
            if (extra_rate <= 0) {
                return 0;
            }
            const double cumulative = shapes.extra_feed.cumulative(to);
            const double expected = extra_rate * (cumulative - extra_cumulative);
            extra_cumulative = cumulative;
            return static_cast<std::uint64_t>(random.poisson(expected));
        };
        s_.feed.clear();
        std::size_t oldest = 0;
        std::uint64_t arrived = 0;
        double now = 0;
        double session = infinity;
        std::size_t next = 0;
        const auto& arrivals = s_.arrivals;
        while (true) {
            if (oldest == s_.feed.size()) {
                if (next == arrivals.size()) {
                    break;
                }
                // Nothing within reach: jump to the next arrival and restart the (memoryless)
                // session process there.
                s_.feed.clear();
                oldest = 0;
                now = arrivals[next].time;
                extra_cumulative = extra_rate > 0 ? shapes.extra_feed.cumulative(now) : 0;
                s_.feed.push_back(entry(arrivals[next], ++arrived));
                ++next;
                session = next_session(now);
                continue;
            }
            const double arrival_time = next < arrivals.size() ? arrivals[next].time : infinity;
            const bool is_session = session < arrival_time;
            const double event = is_session ? session : arrival_time;
            if (event >= horizon) {
                if (session_rate > 0) {
                    s_.unresolved_pairs += unseen_in_reach(oldest);
                }
                break;
            }
            arrived += background(event);
            now = event;
            if (!is_session) {
                s_.feed.push_back(entry(arrivals[next], ++arrived));
                ++next;
            }
            while (oldest < s_.feed.size() && arrived - s_.feed[oldest].arrivals_before >= depth) {
                settle(s_.feed[oldest++]);
            }
            if (is_session) {
                for (std::size_t i = s_.feed.size();
                     i > oldest && arrived - s_.feed[i - 1].arrivals_before < depth; --i) {
                    view(follower, s_.feed[i - 1], now);
                }
                session = next_session(now);
            }
        }
        for (std::size_t i = oldest; i < s_.feed.size(); ++i) {
            settle(s_.feed[i]);
        }
    }

  private:
    // Collects the follower's followees' posts, in time order.
    void gather(AccountIndex follower) {
        auto& arrivals = s_.arrivals;
        arrivals.clear();
        const auto& offsets = r_.posts.offsets;
        for (AccountIndex author : r_.world.graph.followees_of(follower)) {
            for (std::uint64_t post = offsets[author]; post < offsets[author + 1]; ++post) {
                arrivals.push_back(
                    {r_.posts.times[post], static_cast<std::uint32_t>(post), author});
            }
        }
        std::sort(arrivals.begin(), arrivals.end(), [](const Arrival& a, const Arrival& b) {
            return a.time < b.time || (a.time == b.time && a.post < b.post);
        });
        s_.deliveries += arrivals.size();
    }

    InFeed entry(const Arrival& arrival, std::uint64_t arrivals_before) const {
        return {arrivals_before, arrival.post, arrival.author, 0,
                arrival.time < r_.model.duration_seconds};
    }

    // Recorded posts still within reach and not yet seen when the follow-up ends: whether this
    // follower would have seen them is left undecided.
    std::uint64_t unseen_in_reach(std::size_t oldest) const {
        std::uint64_t count = 0;
        for (std::size_t i = oldest; i < s_.feed.size(); ++i) {
            count += s_.feed[i].recorded && s_.feed[i].views == 0 ? 1 : 0;
        }
        return count;
    }

    // Adds a post's views by this follower to its author's counts.
    void settle(const InFeed& entry) {
        if (entry.views > 0) {
            s_.impressions[entry.author] += entry.views;
            ++s_.reach[entry.author];
        }
    }

    void view(AccountIndex follower, InFeed& entry, double now) {
        if (!entry.recorded) {
            return;
        }
        GraphResults& results = r_.results;
        const bool first = entry.views == 0;
        ++entry.views;
        // Tracked authors are few: a search of their short list stays in cache, unlike a lookup
        // in a table over all accounts.
        const auto& tracked = r_.world.tracked_authors;
        const auto found = std::lower_bound(tracked.begin(), tracked.end(), entry.author);
        if (found == tracked.end() || *found != entry.author) {
            return;
        }
        const auto k = static_cast<std::size_t>(found - tracked.begin());
        const std::size_t row = r_.tracked_row_base + r_.tracked_first_row[k] +
                                (entry.post - r_.posts.offsets[entry.author]);
        TrackedPost& post = results.tracked_posts[row];
        atomic_add<std::int64_t>(post.impressions, 1);
        const auto& followers = r_.world.tracked_followers[k];
        const auto position = static_cast<std::size_t>(
            std::lower_bound(followers.begin(), followers.end(), follower) - followers.begin());
        ++results
              .tracked_follower_impressions[k][position];  // only this follower's task touches it
        if (!first) {
            return;
        }
        const double age = now - post.post_time;
        atomic_add<std::int64_t>(post.followers_reached, 1);
        const std::size_t segments = r_.model.segments.size();
        atomic_add<std::int64_t>(
            results
                .tracked_reached_by_segment[row * segments + r_.world.accounts.segment[follower]],
            1);
        atomic_min(post.first_seen_delay, age);
        ++results.tracked_follower_posts_seen[k][position];
        s_.first_view_age.add(age);
    }

    const Replicate& r_;
    Scratch& s_;
};

}  // namespace

GraphResults simulate_graph(const GraphModel& model, const GraphWorld& world,
                            const GraphEngineSettings& settings) {
    const std::size_t accounts = world.graph.account_count();
    const std::size_t tracked_count = world.tracked_authors.size();
    GraphResults results;
    results.replicates = settings.replicates;
    results.account_posts.assign(accounts, 0);
    results.account_reach.assign(accounts, 0);
    results.account_impressions.assign(accounts, 0);
    results.tracked_follower_posts_seen.resize(tracked_count);
    results.tracked_follower_impressions.resize(tracked_count);
    for (std::size_t k = 0; k < tracked_count; ++k) {
        results.tracked_follower_posts_seen[k].assign(world.tracked_followers[k].size(), 0);
        results.tracked_follower_impressions[k].assign(world.tracked_followers[k].size(), 0);
    }

    const int threads = settings.threads > 0 ? static_cast<int>(settings.threads)
                                             : tbb::this_task_arena::max_concurrency();
    tbb::task_arena arena(threads);
    const double horizon = model.duration_seconds + model.follow_up_seconds;
    for (std::int64_t r = 0; r < settings.replicates; ++r) {
        const auto replicate_number = static_cast<std::uint32_t>(r);
        arena.execute([&] {
            const PostTimes posts =
                draw_post_times(world, horizon, settings.seed, replicate_number);
            // Recorded posts (made before the end of the run) per account, and tracked rows.
            std::vector<std::uint64_t> tracked_first_row(tracked_count, 0);
            const std::size_t row_base = results.tracked_posts.size();
            std::size_t rows = 0;
            for (std::size_t k = 0; k < tracked_count; ++k) {
                const AccountIndex author = world.tracked_authors[k];
                tracked_first_row[k] = rows;
                for (std::uint64_t post = posts.offsets[author]; post < posts.offsets[author + 1];
                     ++post) {
                    if (posts.times[post] < model.duration_seconds) {
                        results.tracked_posts.push_back({replicate_number, author,
                                                         posts.times[post], 0, 0,
                                                         std::numeric_limits<double>::quiet_NaN()});
                        ++rows;
                    }
                }
            }
            results.tracked_reached_by_segment.resize(
                results.tracked_posts.size() * model.segments.size(), 0);
            tbb::parallel_for(std::size_t{0}, accounts, [&](std::size_t a) {
                std::uint64_t recorded = 0;
                for (std::uint64_t post = posts.offsets[a]; post < posts.offsets[a + 1]; ++post) {
                    recorded += posts.times[post] < model.duration_seconds ? 1 : 0;
                }
                results.account_posts[a] += recorded;
            });
            const Replicate replicate{
                model,    world,  posts, settings.seed, replicate_number, tracked_first_row,
                row_base, results};
            tbb::enumerable_thread_specific<Scratch> scratch;
            // Counting finished followers with release/acquire makes the hand-over of results
            // visible to ThreadSanitizer, which cannot see inside Debian's uninstrumented TBB.
            std::atomic<std::size_t> finished{0};
            tbb::parallel_for(tbb::blocked_range<std::size_t>(0, accounts, followers_per_task),
                              [&](const tbb::blocked_range<std::size_t>& range) {
                                  Scratch& local = scratch.local();
                                  if (local.reach.empty()) {
                                      local.reach.assign(accounts, 0);
                                      local.impressions.assign(accounts, 0);
                                  }
                                  FollowerFeed feed(replicate, local);
                                  for (std::size_t f = range.begin(); f != range.end(); ++f) {
                                      feed.run(static_cast<AccountIndex>(f));
                                  }
                                  finished.fetch_add(range.size(), std::memory_order_release);
                              });
            if (finished.load(std::memory_order_acquire) != accounts) {
                throw internal_error("simulate_graph: not every follower ran");
            }
            for (Scratch& local : scratch) {
                results.tracked_first_view_age.merge(local.first_view_age);
                results.deliveries += local.deliveries;
                results.unresolved_pairs += local.unresolved_pairs;
                if (!local.reach.empty()) {
                    tbb::parallel_for(std::size_t{0}, accounts, [&](std::size_t a) {
                        results.account_reach[a] += local.reach[a];
                        results.account_impressions[a] += local.impressions[a];
                    });
                }
            }
        });
    }
    return results;
}

}  // namespace reachsim
