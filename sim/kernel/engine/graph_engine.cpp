#include "engine/graph_engine.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <limits>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "engine/feed.hpp"
#include "engine/graph_activity.hpp"
#include "engine/tracked_recorder.hpp"
#include "random/random_stream.hpp"

namespace reachsim {
namespace {

constexpr std::size_t followers_per_task = 256;

// One thread's working memory and its share of the results. Per-author counts are summed per
// thread and merged after the replicate, so the hot path has no atomics and no shared lines.
struct Scratch {
    std::vector<FeedItem> arrivals;
    Feed feed{FeedParameters{}, StreamKey{}};
    std::vector<std::uint64_t> reach;        // by author
    std::vector<std::uint64_t> impressions;  // by author
    LogHistogram first_view_age;
    std::uint64_t deliveries = 0;
    std::uint64_t unresolved_pairs = 0;
};

// Per-replicate state shared by all followers.
struct Replicate {
    const GraphModel& model;
    const GraphWorld& world;
    const PostTimes& posts;
    std::uint64_t seed;
    std::uint32_t number;
    const TrackedRecorder& tracked;
};

class FollowerFeed {
  public:
    FollowerFeed(const Replicate& replicate, Scratch& scratch) : r_(replicate), s_(scratch) {}

    void run(AccountIndex follower) {
        gather(follower);
        s_.feed.restart(feed_parameters(r_.model, r_.world.accounts, follower),
                        {r_.seed, r_.number, StreamKind::follower_activity, follower});
        auto on_view = [&](FeedEntry& entry, double now, bool first) {
            if (entry.recorded) {
                view(follower, entry, now, first);
            }
        };
        auto on_settle = [&](const FeedEntry& entry) {
            if (entry.recorded && entry.views > 0) {
                s_.impressions[entry.parent] += entry.views;
                ++s_.reach[entry.parent];
            }
        };
        for (const FeedItem& item : s_.arrivals) {
            s_.feed.run_sessions_before(item.time, on_view, on_settle);
            s_.feed.arrive(item, on_settle);
        }
        s_.feed.run_sessions_before(std::numeric_limits<double>::infinity(), on_view, on_settle);
        s_.unresolved_pairs += s_.feed.finish(on_settle);
    }

  private:
    // Collects the follower's followees' posts, in time order.
    void gather(AccountIndex follower) {
        auto& arrivals = s_.arrivals;
        arrivals.clear();
        const auto& offsets = r_.posts.offsets;
        const double recorded_until = r_.model.duration_seconds;
        for (AccountIndex author : r_.world.graph.followees_of(follower)) {
            for (std::uint64_t post = offsets[author]; post < offsets[author + 1]; ++post) {
                const double time = r_.posts.times[post];
                arrivals.push_back(
                    {time, static_cast<std::uint32_t>(post), author, 0, time < recorded_until});
            }
        }
        std::sort(arrivals.begin(), arrivals.end(), [](const FeedItem& a, const FeedItem& b) {
            return a.time < b.time || (a.time == b.time && a.post < b.post);
        });
        s_.deliveries += arrivals.size();
    }

    void view(AccountIndex follower, const FeedEntry& entry, double now, bool first) {
        const std::int64_t row = r_.tracked.row(entry.post, entry.parent);
        if (row >= 0) {
            r_.tracked.follower_view(static_cast<std::size_t>(row), entry.parent, follower, now,
                                     first, s_.first_view_age);
        }
    }

    const Replicate& r_;
    Scratch& s_;
};

}  // namespace

void prepare_results(GraphResults& results, const GraphWorld& world, std::int64_t replicates) {
    const std::size_t accounts = world.graph.account_count();
    const std::size_t tracked_count = world.tracked_authors.size();
    results.replicates = replicates;
    results.account_posts.assign(accounts, 0);
    results.account_reach.assign(accounts, 0);
    results.account_impressions.assign(accounts, 0);
    results.tracked_follower_posts_seen.resize(tracked_count);
    results.tracked_follower_impressions.resize(tracked_count);
    for (std::size_t k = 0; k < tracked_count; ++k) {
        results.tracked_follower_posts_seen[k].assign(world.tracked_followers[k].size(), 0);
        results.tracked_follower_impressions[k].assign(world.tracked_followers[k].size(), 0);
    }
}

std::vector<std::uint64_t> add_tracked_posts(GraphResults& results, const GraphWorld& world,
                                             const std::vector<std::uint64_t>& post_offsets,
                                             const std::vector<double>& post_times,
                                             double recorded_until, std::uint32_t replicate,
                                             std::size_t segments) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::uint64_t> first_row;
    std::uint64_t rows = 0;
    for (const AccountIndex author : world.tracked_authors) {
        first_row.push_back(rows);
        for (std::uint64_t post = post_offsets[author]; post < post_offsets[author + 1]; ++post) {
            if (post_times[post] < recorded_until) {
                results.tracked_posts.push_back(
                    {replicate, author, post_times[post], 0, 0, nan, 0, 0, 0, nan, nan});
                ++rows;
            }
        }
    }
    results.tracked_reached_by_segment.resize(results.tracked_posts.size() * segments, 0);
    parallel_for_each_index(0, world.graph.account_count(), [&](std::size_t a) {
        std::uint64_t recorded = 0;
        for (std::uint64_t post = post_offsets[a]; post < post_offsets[a + 1]; ++post) {
            recorded += post_times[post] < recorded_until ? 1 : 0;
        }
        results.account_posts[a] += recorded;
    });
    return first_row;
}

GraphResults simulate_graph(const GraphModel& model, const GraphWorld& world,
                            const GraphEngineSettings& settings) {
    const std::size_t accounts = world.graph.account_count();
    GraphResults results;
    prepare_results(results, world, settings.replicates);
    const int threads = settings.threads > 0 ? static_cast<int>(settings.threads)
                                             : tbb::this_task_arena::max_concurrency();
    tbb::task_arena arena(threads);
    const double horizon = model.duration_seconds + model.follow_up_seconds;
    for (std::int64_t r = 0; r < settings.replicates; ++r) {
        const auto replicate_number = static_cast<std::uint32_t>(r);
        arena.execute([&] {
            const PostTimes posts =
                draw_post_times(world, horizon, settings.seed, replicate_number);
            const std::size_t row_base = results.tracked_posts.size();
            const auto first_row =
                add_tracked_posts(results, world, posts.offsets, posts.times,
                                  model.duration_seconds, replicate_number, model.segments.size());
            const TrackedRecorder tracked(world, posts.offsets, first_row, row_base,
                                          model.segments.size(), results);
            const Replicate replicate{model,  world, posts, settings.seed, replicate_number,
                                      tracked};
            tbb::enumerable_thread_specific<Scratch> scratch;
            parallel_chunks(0, accounts, followers_per_task,
                            [&](std::size_t chunk_begin, std::size_t chunk_end) {
                                Scratch& local = scratch.local();
                                if (local.reach.empty()) {
                                    local.reach.assign(accounts, 0);
                                    local.impressions.assign(accounts, 0);
                                }
                                FollowerFeed feed(replicate, local);
                                for (std::size_t f = chunk_begin; f != chunk_end; ++f) {
                                    feed.run(static_cast<AccountIndex>(f));
                                }
                            });
            for (Scratch& local : scratch) {
                results.tracked_first_view_age.merge(local.first_view_age);
                results.deliveries += local.deliveries;
                results.unresolved_pairs += local.unresolved_pairs;
                if (!local.reach.empty()) {
                    parallel_for_each_index(0, accounts, [&](std::size_t a) {
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
