// The pull scheduler, for graphs without retweets: every follower pulls its followees' posts and
// resolves its own chronological feed over the whole horizon from counts (engine/counted_feed.hpp),
// merging in its views outside the feed (engine/outside_feed.hpp) if it has any; a follower whose
// attention fades (engine/attention.hpp) is resolved event by event instead (engine/feed.hpp).
// Followers are processed in parallel; per-author counts are summed per thread and merged after the
// replicate, so the hot path has no atomics and no shared lines.
#include <tbb/enumerable_thread_specific.h>

#include "core/parallel.hpp"
#include "core/prefetch.hpp"
#include "engine/attention.hpp"
#include "engine/counted_feed.hpp"
#include "engine/replicate_setup.hpp"
#include "engine/simulate.hpp"
#include "engine/tracked_recorder.hpp"

namespace reachsim {
namespace {

constexpr std::size_t followers_per_task = 256;

// Followees ahead of the one being read whose post offsets, then post times, are prefetched: the
// two dependent cache misses of each follow are in flight long before they are needed.
constexpr std::size_t offsets_ahead = 32;
constexpr std::size_t times_ahead = 16;

// What a thread's followers' views add to an author's totals, and whether the author is tracked:
// the flag is read from the line the counts bring into cache, where a table of its own missed the
// cache on every view at 10 M accounts (perf: a tenth of the simulation).
struct AuthorCounts {
    // (follower, post) pairs seen: a hub's posts times its followers can pass 2^32, never 2^63.
    std::uint64_t followers_reached : 63 = 0;
    std::uint64_t tracked : 1 = 0;
    std::uint64_t impressions = 0;
};
static_assert(sizeof(AuthorCounts) == 16, "one author's counts: a quarter of a cache line");

// One thread's working memory and its share of the record.
struct Scratch {
    CountedFeed feed;
    std::vector<OutsideView> outside;  // the follower's views outside the feed, by post
    // Followers whose attention fades: their feeds event by event.
    Feed event_feed;
    AttentionState attention;
    std::vector<FeedItem> items;                                   // by time
    std::vector<ItemViews> item_views;                             // of items
    std::vector<std::pair<std::uint32_t, std::uint32_t>> by_post;  // (post, place in items)
    std::vector<AuthorCounts> by_author;
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

// Resolves the feeds of a run of consecutive followers, whose followees are one contiguous span.
class FollowerFeeds {
  public:
    FollowerFeeds(const Replicate& replicate, Scratch& scratch) : r_(replicate), s_(scratch) {}

    void run(AccountIndex first, AccountIndex last) {
        const auto followees = r_.world.graph.followees_of_accounts(first, last);
        std::size_t next = 0;  // into followees
        for (AccountIndex follower = first; follower != last; ++follower) {
            const std::size_t end = next + r_.world.graph.following_count(follower);
            s_.feed.begin(feed_parameters(r_.model, r_.world.accounts, follower),
                          feed_streams(r_.seed, r_.number, follower));
            const OutsideFeedParameters outside =
                outside_feed_parameters(r_.model, r_.world.accounts, follower);
            if (const Attention* attention = attention_of(r_.model, r_.world.accounts, follower)) {
                resolve_event_by_event(follower, followees.subspan(next, end - next), outside,
                                       attention);
                next = end;
                continue;
            }
            if (outside.any()) {
                s_.outside.clear();
                for (; next != end; ++next) {
                    prefetch_ahead(followees, next);
                    add_posts_of(followees[next]);
                    add_outside_views(outside, follower, followees[next]);
                }
                resolve_with_outside_views(follower);
                continue;
            }
            for (; next != end; ++next) {
                prefetch_ahead(followees, next);
                add_posts_of(followees[next]);
            }
            s_.feed.resolve([&](const FeedItem& item, const FeedViews& views) {
                if (item.recorded) {
                    count_views(follower, item, views.total(), views.undecided,
                                [&] { return feed_views(item, views); });
                }
            });
        }
    }

  private:
    static ItemViews feed_views(const FeedItem& item, const FeedViews& views) {
        ItemViews all;
        if (views.live) {
            all.add(Channel::live, item.time);
        }
        all.add(Channel::feed, views.first_session_time, views.sessions);
        return all;
    }

    void add_outside_views(const OutsideFeedParameters& outside, AccountIndex follower,
                           AccountIndex author) {
        const auto& offsets = r_.posts.offsets;
        const std::span<const double> times(r_.posts.times.data() + offsets[author],
                                            offsets[author + 1] - offsets[author]);
        append_outside_views(outside, r_.seed, r_.number, follower, author, times,
                             static_cast<std::uint32_t>(offsets[author]), s_.outside);
    }

    // The feed's views merged with those from outside it (a follower notified or visiting
    // profiles: the rarer, slower path).
    void resolve_with_outside_views(AccountIndex follower) {
        std::sort(s_.outside.begin(), s_.outside.end(),
                  [](const OutsideView& a, const OutsideView& b) {
                      return a.post != b.post ? a.post < b.post : a.time < b.time;
                  });
        s_.feed.resolve([&](const FeedItem& item, const FeedViews& views) {
            if (!item.recorded) {
                return;
            }
            ItemViews all = feed_views(item, views);
            auto outside = std::lower_bound(
                s_.outside.begin(), s_.outside.end(), item.post,
                [](const OutsideView& view, std::uint32_t post) { return view.post < post; });
            for (; outside != s_.outside.end() && outside->post == item.post; ++outside) {
                all.add(outside->channel, outside->time);
            }
            count_views(follower, item, all.total(), views.undecided, [&] { return all; });
        });
    }

    // A follower whose attention fades with repeats or who may unfollow: what it notices depends
    // on the order it comes across items, so its feed is resolved event by event (engine/feed.hpp)
    // with its views outside the feed in time order among the sessions.
    void resolve_event_by_event(AccountIndex follower, std::span<const AccountIndex> followees,
                                const OutsideFeedParameters& outside, const Attention* settings) {
        auto& items = s_.items;
        items.clear();
        s_.outside.clear();
        for (const AccountIndex author : followees) {
            for_each_post_of(author, [&](const FeedItem& item) { items.push_back(item); });
            if (outside.any()) {
                add_outside_views(outside, follower, author);
            }
        }
        std::sort(items.begin(), items.end(), [](const FeedItem& a, const FeedItem& b) {
            return a.time != b.time ? a.time < b.time : a.post < b.post;
        });
        sort_by_time(s_.outside);
        s_.by_post.clear();
        for (std::size_t i = 0; i < items.size(); ++i) {
            s_.by_post.emplace_back(items[i].post, static_cast<std::uint32_t>(i));
        }
        std::sort(s_.by_post.begin(), s_.by_post.end());
        auto place_of = [&](std::uint32_t post) {
            return std::lower_bound(s_.by_post.begin(), s_.by_post.end(),
                                    std::pair<std::uint32_t, std::uint32_t>{post, 0})
                ->second;
        };
        s_.item_views.assign(items.size(), ItemViews{});
        AttentionState& attention = s_.attention;
        attention.begin(settings, attention_stream(r_.seed, r_.number, follower));
        auto view = [&](std::uint32_t place, double now, Channel channel) {
            const AccountIndex followee = items[place].parent;
            if (!attention.notices(followee, now, channel)) {
                return;
            }
            ItemViews& views = s_.item_views[place];
            const bool first = views.total() == 0;
            views.add(channel, now);
            if (first && attention.first_seen(followee, now)) {
                r_.tracked.unfollow(followee);
            }
        };
        auto on_view = [&](FeedEntry& entry, double now, bool, Channel channel) {
            view(place_of(entry.post), now, channel);
        };
        auto on_settle = [](const FeedEntry&) {};
        auto on_outside = [&](const OutsideView& outside_view) {
            view(place_of(outside_view.post), outside_view.time, outside_view.channel);
        };
        Feed& feed = s_.event_feed;
        feed.restart(feed_parameters(r_.model, r_.world.accounts, follower),
                     feed_streams(r_.seed, r_.number, follower));
        std::size_t next_outside = 0;
        for (const FeedItem& item : items) {
            run_sessions_and_outside_views_before(item.time, feed, s_.outside, next_outside,
                                                  on_view, on_settle, on_outside);
            if (!attention.has_unfollowed(item.parent)) {
                feed.arrive(item, on_view, on_settle);
                ++s_.deliveries;
            }
        }
        run_sessions_and_outside_views_before(std::numeric_limits<double>::infinity(), feed,
                                              s_.outside, next_outside, on_view, on_settle,
                                              on_outside);
        // Decided: seen, or never to be seen once the follower has unfollowed its followee.
        s_.unresolved_pairs += feed.finish(on_settle, [&](const FeedEntry& entry) {
            return s_.item_views[place_of(entry.post)].total() > 0 ||
                   attention.has_unfollowed(entry.parent);
        });
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (items[i].recorded) {
                count_views(follower, items[i], s_.item_views[i].total(), false,
                            [&] { return s_.item_views[i]; });
            }
        }
    }

    // A recorded item's `total` views by `follower` (undecided: unseen and still within reach at
    // the horizon) into its author's counts and, for a tracked post, views_of() by channel.
    template <typename ViewsOf>
    void count_views(AccountIndex follower, const FeedItem& item, std::uint32_t total,
                     bool undecided, ViewsOf&& views_of) {
        if (total == 0) {
            s_.unresolved_pairs += undecided ? 1 : 0;
            return;
        }
        AuthorCounts& counts = s_.by_author[item.parent];
        counts.impressions += total;
        ++counts.followers_reached;
        if (counts.tracked) {
            const std::int64_t row = r_.tracked.row(item.post, item.parent);
            if (row >= 0) {
                record_tracked(static_cast<std::size_t>(row), follower, item, views_of());
            }
        }
    }

    void prefetch_ahead(std::span<const AccountIndex> followees, std::size_t next) const {
        const auto& offsets = r_.posts.offsets;
        if (next + offsets_ahead < followees.size()) {
            prefetch(offsets[followees[next + offsets_ahead]]);
        }
        if (next + times_ahead < followees.size()) {
            const AccountIndex author = followees[next + times_ahead];
            if (offsets[author + 1] != offsets[author]) {
                prefetch(r_.posts.times[offsets[author]]);
            }
        }
    }

    // An author's posts as items of a follower's feed, held in locals (the hot loop reads them
    // without reloading through the shared record).
    struct PostsOf {
        const double* times;
        std::uint64_t first_post;
        std::size_t count;
        AccountIndex author;
        double recorded_until;

        [[nodiscard]] FeedItem item(std::size_t k) const {
            return {times[k], static_cast<std::uint32_t>(first_post + k), author, 0,
                    times[k] < recorded_until};
        }
    };
    [[nodiscard]] PostsOf posts_of(AccountIndex author) const {
        const std::uint64_t first_post = r_.posts.offsets[author];
        return {r_.posts.times.data() + first_post, first_post,
                r_.posts.offsets[author + 1] - first_post, author, r_.model.duration_seconds};
    }

    // Every post of `author` as an item of a follower's feed.
    template <typename Use>
    void for_each_post_of(AccountIndex author, Use&& use) const {
        const PostsOf posts = posts_of(author);
        for (std::size_t k = 0; k < posts.count; ++k) {
            use(posts.item(k));
        }
    }

    // Most follows (59% at 10 M accounts, nearly all at short horizons) point at an author without
    // a post: that test is made here, in the loop, and the call made only for an author with
    // posts. Called for every follow, the function spent about twenty instructions a follow
    // saving and restoring registers (callgrind).
    void add_posts_of(AccountIndex author) {
        const auto& offsets = r_.posts.offsets;
        if (offsets[author + 1] != offsets[author]) {  // no miss for the counts of the others
            add_posts_of_posting(author);
        }
    }

    [[gnu::noinline]] void add_posts_of_posting(AccountIndex author) {
        const PostsOf posts = posts_of(author);
        prefetch(s_.by_author[author]);  // in cache when the feed is resolved
        s_.deliveries += posts.count;
        s_.feed.add_each(posts.count, [&](std::size_t k) { return posts.item(k); });
    }

    void record_tracked(std::size_t row, AccountIndex follower, const FeedItem& item,
                        const ItemViews& views) {
        for (std::size_t c = 0; c < channel_count; ++c) {
            const auto channel = static_cast<Channel>(c);
            for (std::uint32_t view = 0; view < views.by_channel[c]; ++view) {
                const bool first = channel == views.first_channel && view == 0;
                r_.tracked.follower_view(row, item.parent, follower, views.first_time, first,
                                         channel, s_.first_view_age);
            }
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
    parallel_chunks(
        0, accounts, followers_per_task, [&](std::size_t chunk_begin, std::size_t chunk_end) {
            Scratch& local = scratch.local();
            if (local.by_author.empty()) {
                local.by_author.assign(accounts, AuthorCounts{});
                for (const AccountIndex author : world.tracked_authors) {
                    local.by_author[author].tracked = 1;
                }
            }
            FollowerFeeds(shared, local)
                .run(static_cast<AccountIndex>(chunk_begin), static_cast<AccountIndex>(chunk_end));
        });
    for (auto& post : record.posts) {
        post.reach = post.followers_reached;  // without retweets, followers are all it reaches
    }
    for (Scratch& local : scratch) {
        record.first_view_age.merge(local.first_view_age);
        record.deliveries += local.deliveries;
        record.unresolved_pairs += local.unresolved_pairs;
        if (!local.by_author.empty()) {
            parallel_for_each_index(0, accounts, [&](std::size_t a) {
                record.account_followers_reached[a] += local.by_author[a].followers_reached;
                record.account_impressions[a] += local.by_author[a].impressions;
            });
        }
    }
    return record;
}

}  // namespace reachsim
