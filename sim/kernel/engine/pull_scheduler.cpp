// The pull scheduler, for graphs without retweets: every follower pulls its followees' posts and
// resolves its own chronological feed in one pass over the whole horizon. Followers are processed
// in parallel; per-author counts are summed per thread and merged after the replicate, so the hot
// path has no atomics and no shared lines.
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <limits>

#include "core/parallel.hpp"
#include "engine/feed.hpp"
#include "engine/replicate_setup.hpp"
#include "engine/simulate.hpp"
#include "engine/tracked_recorder.hpp"

namespace reachsim {
namespace {

constexpr std::size_t followers_per_task = 256;

// One thread's working memory and its share of the record.
struct Scratch {
    std::vector<FeedItem> arrivals;
    Feed feed;
    std::vector<std::uint64_t> followers_reached;  // by author
    std::vector<std::uint64_t> impressions;        // by author
    LogHistogram first_view_age;
    std::uint64_t deliveries = 0;
    std::uint64_t unresolved_pairs = 0;
};

// Per-replicate state shared by all followers.
struct Replicate {
    const Model& model;
    const World& world;
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
                        feed_streams(r_.seed, r_.number, follower));
        auto on_view = [&](FeedEntry& entry, double now, bool first) {
            if (entry.recorded) {
                view(follower, entry, now, first);
            }
        };
        auto on_settle = [&](const FeedEntry& entry) {
            if (entry.recorded && entry.views > 0) {
                s_.impressions[entry.parent] += entry.views;
                ++s_.followers_reached[entry.parent];
            }
        };
        for (const FeedItem& item : s_.arrivals) {
            s_.feed.run_sessions_before(item.time, on_view, on_settle);
            s_.feed.arrive(item, on_view, on_settle);
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

ReplicateRecord simulate_pull(const Model& model, const World& world, std::uint64_t seed,
                              std::uint32_t replicate) {
    const std::size_t accounts = world.graph.account_count();
    const PostTimes posts = draw_post_times(model, world, posting_end(model), seed, replicate);
    ReplicateRecord record;
    const auto first_row = prepare_record(record, model, world, posts, replicate);
    const TrackedRecorder tracked(world, posts.offsets, first_row, model.segments.size(), record);
    const Replicate shared{model, world, posts, seed, replicate, tracked};
    tbb::enumerable_thread_specific<Scratch> scratch;
    parallel_chunks(0, accounts, followers_per_task,
                    [&](std::size_t chunk_begin, std::size_t chunk_end) {
                        Scratch& local = scratch.local();
                        if (local.followers_reached.empty()) {
                            local.followers_reached.assign(accounts, 0);
                            local.impressions.assign(accounts, 0);
                        }
                        FollowerFeed feed(shared, local);
                        for (std::size_t f = chunk_begin; f != chunk_end; ++f) {
                            feed.run(static_cast<AccountIndex>(f));
                        }
                    });
    for (auto& post : record.posts) {
        post.reach = post.followers_reached;  // without retweets, followers are all it reaches
    }
    for (Scratch& local : scratch) {
        record.first_view_age.merge(local.first_view_age);
        record.deliveries += local.deliveries;
        record.unresolved_pairs += local.unresolved_pairs;
        if (!local.followers_reached.empty()) {
            parallel_for_each_index(0, accounts, [&](std::size_t a) {
                record.account_followers_reached[a] += local.followers_reached[a];
                record.account_impressions[a] += local.impressions[a];
            });
        }
    }
    return record;
}

}  // namespace reachsim
