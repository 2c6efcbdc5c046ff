// The cascade scheduler: the pull scheduler's feeds, plus retweets. Time advances in conservative
// windows no wider than the minimum retweet delay: a retweet decided in a window is delivered in a
// later one, so each window's deliveries are known before it starts and the accounts of a window
// can be resolved in parallel, exactly.
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <span>
#include <tuple>

#include "activity/accounts.hpp"
#include "core/errors.hpp"
#include "core/nearest_rank.hpp"
#include "core/parallel.hpp"
#include "engine/attention.hpp"
#include "engine/feed.hpp"
#include "engine/outside_feed.hpp"
#include "engine/replicate_setup.hpp"
#include "engine/simulate.hpp"
#include "engine/tracked_recorder.hpp"
#include "random/draw.hpp"

namespace reachsim {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

bool item_order(const FeedItem& a, const FeedItem& b) {
    if (a.time != b.time) {
        return a.time < b.time;
    }
    if (a.post != b.post) {
        return a.post < b.post;
    }
    return a.parent < b.parent;
}

// One thread's share of a replicate's results, merged after it.
struct ThreadResults {
    std::vector<std::uint64_t> impressions;        // by author
    std::vector<std::uint64_t> followers_reached;  // by author
    std::vector<std::uint64_t> reach;              // by author: by any route
    std::vector<std::uint64_t> retweets;           // by author
    std::vector<FeedItem> new_retweets;
    std::vector<CascadeRow> cascade_rows;
    std::vector<FirstView> first_views;
    LogHistogram first_view_age;
    std::uint64_t deliveries = 0;
};

class CascadeReplicate {
  public:
    CascadeReplicate(const Model& model, const World& world, std::uint64_t seed,
                     std::uint32_t replicate, ReplicateRecord& record)
        : retweets_(*model.retweets),
          world_(world),
          accounts_(world.graph.account_count()),
          horizon_(model.horizon_seconds()),
          posts_(draw_post_times(model, world, posting_end(model), seed, replicate)),
          record_(record),
          first_row_(prepare_record(record, model, world, posts_, replicate)),
          tracked_(world, posts_.offsets, first_row_, model.segments.size(), record) {
        const std::size_t post_count = posts_.times.size();
        post_author_.resize(post_count);
        appeal_.resize(post_count);
        originals_.resize(post_count);
        parallel_for_each_index(0, accounts_, [&](std::size_t a) {
            for (std::uint64_t post = posts_.offsets[a]; post < posts_.offsets[a + 1]; ++post) {
                post_author_[post] = static_cast<AccountIndex>(a);
                originals_[post] = {posts_.times[post], static_cast<std::uint32_t>(post),
                                    static_cast<AccountIndex>(a), 0,
                                    posts_.times[post] < model.duration_seconds};
            }
        });
        parallel_for_each_index(0, post_count, [&](std::size_t post) {
            RandomStream random(
                {seed, replicate, StreamKind::post_appeal, static_cast<std::uint32_t>(post)});
            appeal_[post] = static_cast<float>(draw(retweets_.appeal, random));
        });
        std::sort(originals_.begin(), originals_.end(), item_order);
        time_rank_.resize(post_count);
        for (std::size_t i = 0; i < post_count; ++i) {
            time_rank_[originals_[i].post] = static_cast<std::uint32_t>(i);
        }
        feeds_.reserve(accounts_);
        decisions_.reserve(accounts_);
        for (std::size_t a = 0; a < accounts_; ++a) {
            const auto account = static_cast<AccountIndex>(a);
            feeds_.emplace_back(feed_parameters(model, world.accounts, account),
                                feed_streams(seed, replicate, account));
            decisions_.emplace_back(
                StreamKey{seed, replicate, StreamKind::retweet_decisions, account});
        }
        seen_.resize(accounts_);
        inbox_.resize(accounts_);
        if (model.has_views_outside_feed() || !world.accounts.notification_share.empty()) {
            outside_.resize(accounts_);
            outside_next_.assign(accounts_, 0);
            parallel_for_each_index(0, accounts_, [&](std::size_t a) {
                const auto account = static_cast<AccountIndex>(a);
                const OutsideFeedParameters parameters =
                    outside_feed_parameters(model, world.accounts, account);
                if (!parameters.any()) {
                    return;
                }
                for (const AccountIndex author : world.graph.followees_of(account)) {
                    append_outside_views(
                        parameters, seed, replicate, account, author, posts_of(author),
                        static_cast<std::uint32_t>(posts_.offsets[author]), outside_[a]);
                }
                sort_by_time(outside_[a]);
            });
        }
        if (model.has_attention()) {
            attention_.resize(accounts_);
            for (std::size_t a = 0; a < accounts_; ++a) {
                const auto account = static_cast<AccountIndex>(a);
                attention_[a].begin(attention_of(model, world.accounts, account),
                                    attention_stream(seed, replicate, account));
            }
        }
        for (std::size_t s = 0; s < model.segments.size(); ++s) {
            after_retweet_.push_back(model.segments[s].profile_visits.after_retweet);
            profile_depth_.push_back(model.segments[s].profile_visits.depth);
            any_after_retweet_ = any_after_retweet_ || after_retweet_.back() > 0;
        }
    }

    void run() {
        const double window = retweets_.min_delay_seconds;
        const auto windows = static_cast<std::uint64_t>(std::ceil(horizon_ / window));
        // Accounts to wake in each window for a session (deliveries wake their receivers too), and
        // the window each is scheduled in (entries elsewhere are stale).
        constexpr std::uint64_t unscheduled = std::numeric_limits<std::uint64_t>::max();
        std::vector<std::vector<AccountIndex>> wake(windows);
        std::vector<std::uint64_t> scheduled(accounts_, unscheduled);
        std::vector<char> in_work(accounts_, 0);
        std::size_t next_original = 0;
        tbb::enumerable_thread_specific<ThreadResults> threads([&] {
            ThreadResults local;
            local.impressions.assign(accounts_, 0);
            local.followers_reached.assign(accounts_, 0);
            local.reach.assign(accounts_, 0);
            local.retweets.assign(accounts_, 0);
            return local;
        });
        auto window_of = [&](double time) {
            return static_cast<std::uint64_t>(std::floor(time / window));
        };
        std::vector<AccountIndex> work;
        for (std::uint64_t k = 0; k < windows; ++k) {
            const double next_delivery = std::min(
                next_original < originals_.size() ? originals_[next_original].time : infinity,
                consumed_ < pending_.size() ? pending_[consumed_].time : infinity);
            if (wake[k].empty() && (next_delivery >= horizon_ || window_of(next_delivery) > k)) {
                continue;  // nobody to wake and nothing to deliver in this window
            }
            const double end = std::min(static_cast<double>(k + 1) * window, horizon_);
            work.clear();
            for (AccountIndex a : wake[k]) {
                if (scheduled[a] == k && !in_work[a]) {
                    in_work[a] = 1;
                    work.push_back(a);
                }
            }
            std::vector<AccountIndex>().swap(wake[k]);
            // Deliver this window's items, in (time, post, parent) order, to the parents'
            // followers.
            std::uint64_t delivered = 0;
            while (true) {
                const FeedItem* item = nullptr;
                const bool original_due =
                    next_original < originals_.size() && originals_[next_original].time < end;
                const bool retweet_due =
                    consumed_ < pending_.size() && pending_[consumed_].time < end;
                if (original_due &&
                    (!retweet_due || item_order(originals_[next_original], pending_[consumed_]))) {
                    item = &originals_[next_original++];
                } else if (retweet_due) {
                    item = &pending_[consumed_++];
                } else {
                    break;
                }
                for (AccountIndex follower : world_.graph.followers_of(item->parent)) {
                    inbox_[follower].push_back(*item);
                    ++delivered;
                    if (!in_work[follower]) {
                        in_work[follower] = 1;
                        work.push_back(follower);
                    }
                }
            }
            parallel_for_each_index(0, work.size(),
                                    [&](std::size_t i) { resolve(work[i], end, threads.local()); });
            for (AccountIndex a : work) {
                in_work[a] = 0;
                const double session = std::min(feeds_[a].next_session_time(), next_outside(a));
                const std::uint64_t next = session < horizon_ ? window_of(session) : unscheduled;
                if (next != unscheduled && next != scheduled[a]) {
                    wake[next].push_back(a);
                }
                scheduled[a] = next;
            }
            threads.local().deliveries += delivered;
            collect_new_retweets(threads);
        }
        // A post is undecided for an account once, however many of its items (the original,
        // retweets) are unseen in the feed, and not at all if the account saw it by another item
        // or outside the feed: the undecided entries' posts are collected, then counted once.
        std::vector<std::uint32_t> undecided;
        for (std::size_t a = 0; a < accounts_; ++a) {
            if (feeds_[a].empty()) {
                continue;
            }
            undecided.clear();
            feeds_[a].finish([](const FeedEntry&) {},
                             [&](const FeedEntry& entry) {
                                 // (Without attention, an entry shown is an entry seen.)
                                 if (!(attention_.empty() && entry.views > 0) &&
                                     !has_unfollowed(a, entry.parent) && !has_seen(a, entry.post)) {
                                     undecided.push_back(entry.post);
                                 }
                                 return true;  // counted here
                             });
            std::sort(undecided.begin(), undecided.end());
            record_.unresolved_pairs += static_cast<std::uint64_t>(
                std::unique(undecided.begin(), undecided.end()) - undecided.begin());
        }
        merge(threads);
    }

  private:
    std::span<const double> posts_of(AccountIndex author) const {
        const std::uint64_t first = posts_.offsets[author];
        return {posts_.times.data() + first, posts_.offsets[author + 1] - first};
    }

    [[nodiscard]] double next_outside(AccountIndex account) const {
        if (outside_.empty()) {
            return infinity;
        }
        const auto& views = outside_[account];
        const std::size_t next = outside_next_[account];
        return next < views.size() ? views[next].time : infinity;
    }

    [[nodiscard]] bool has_unfollowed(std::size_t account, AccountIndex followee) const {
        return !attention_.empty() && attention_[account].has_unfollowed(followee);
    }

    [[nodiscard]] bool has_seen(std::size_t account, std::uint32_t post) const {
        const auto& seen = seen_[account];
        return std::binary_search(seen.begin(), seen.end(), time_rank_[post]);
    }

    // Marks `post` seen by `account`: false if it already was.
    bool mark_seen(std::size_t account, std::uint32_t post) {
        // Posts are mostly first seen in the order they were made, so keeping them by time rank
        // makes each insertion land near the end.
        auto& seen = seen_[account];
        const std::uint32_t rank = time_rank_[post];
        const auto position = std::lower_bound(seen.begin(), seen.end(), rank);
        if (position != seen.end() && *position == rank) {
            return false;
        }
        seen.insert(position, rank);
        return true;
    }

    // Resolves one account's feed up to `end`: this window's deliveries, then its sessions, with
    // its views outside the feed among them in time order.
    void resolve(AccountIndex account, double end, ThreadResults& local) {
        Feed& feed = feeds_[account];
        auto on_view = [&](FeedEntry& entry, double now, bool first, Channel channel) {
            view(account, entry, now, first, channel, local);
        };
        auto on_settle = [](const FeedEntry&) {};
        auto on_outside = [&](const OutsideView& outside) {
            view(account, original_entry(outside.post), outside.time, true, outside.channel, local);
        };
        auto run_before = [&](double until) {
            if (outside_.empty()) {
                feed.run_sessions_before(until, on_view, on_settle);
            } else {
                run_sessions_and_outside_views_before(until, feed, outside_[account],
                                                      outside_next_[account], on_view, on_settle,
                                                      on_outside);
            }
        };
        for (const FeedItem& item : inbox_[account]) {
            run_before(item.time);
            if (!has_unfollowed(account, item.parent)) {
                feed.arrive(item, on_view, on_settle);
            }
        }
        inbox_[account].clear();
        run_before(end);
    }

    // An author's own post, as seen outside the feed.
    [[nodiscard]] FeedEntry original_entry(std::uint32_t post) const {
        const FeedItem& original = originals_[time_rank_[post]];
        return {0, post, original.parent, 0, 0, original.recorded};
    }

    // A visit to `author`'s profile at `now`, on first seeing a retweet of one of their posts:
    // the newest posts there are seen like any others.
    void visit_profile(AccountIndex viewer, AccountIndex author, double now, ThreadResults& local) {
        const std::span<const double> times = posts_of(author);
        const SegmentIndex segment = world_.accounts.segment[viewer];
        const auto [oldest, newest] = shown_on_profile(times, now, profile_depth_[segment]);
        for (std::size_t i = oldest; i < newest; ++i) {
            const auto post = static_cast<std::uint32_t>(posts_.offsets[author] + i);
            view(viewer, original_entry(post), now, true, Channel::profile, local);
        }
    }

    void view(AccountIndex viewer, const FeedEntry& entry, double now, bool first_of_item,
              Channel channel, ThreadResults& local) {
        if (!attention_.empty() && !attention_[viewer].notices(entry.parent, now, channel)) {
            return;
        }
        const AccountIndex author = post_author_[entry.post];
        if (entry.recorded) {
            ++local.impressions[author];
        }
        const bool first = first_of_item && mark_seen(viewer, entry.post);
        if (first && !attention_.empty() && attention_[viewer].first_seen(entry.parent, now)) {
            tracked_.unfollow(entry.parent);
        }
        // Only followers receive the original, in the feed or by notification; a profile is
        // visited by followers and, after a retweet, by anyone.
        const bool original = entry.parent == author && channel != Channel::profile;
        const std::int64_t row = entry.recorded ? tracked_.row(entry.post, author) : -1;
        if (viewer == author) {
            return;  // the author meeting a retweet of their own post: neither reach nor a retweet
        }
        const bool follower = original || world_.graph.follows(viewer, author);
        if (row >= 0) {
            if (follower) {
                tracked_.follower_view(static_cast<std::size_t>(row), author, viewer, now, first,
                                       channel, local.first_view_age);
            } else {
                tracked_.other_view(static_cast<std::size_t>(row), first, channel);
            }
        }
        if (!first) {
            return;
        }
        if (entry.recorded) {
            ++local.reach[author];
            local.followers_reached[author] += follower ? 1 : 0;
        }
        if (row >= 0) {
            atomic_add<std::int64_t>(record_.posts[static_cast<std::size_t>(row)].reach, 1);
            local.first_views.push_back(
                {static_cast<std::uint32_t>(row), now, entry.generation, viewer});
        }
        if (any_after_retweet_ && entry.generation > 0) {
            const double after_retweet = after_retweet_[world_.accounts.segment[viewer]];
            if (after_retweet > 0 && decisions_[viewer].uniform_open01() < after_retweet) {
                visit_profile(viewer, author, now, local);
            }
        }
        const double probability =
            world_.accounts.retweet_probability[viewer] * appeal_[entry.post];
        if (!(probability > 0) || !(decisions_[viewer].uniform_open01() < probability)) {
            return;
        }
        const double time =
            now + std::max(retweets_.min_delay_seconds, draw(retweets_.delay, decisions_[viewer]));
        if (time >= horizon_) {
            return;
        }
        local.new_retweets.push_back(
            {time, entry.post, viewer, entry.generation + 1, entry.recorded});
        if (entry.recorded) {
            ++local.retweets[author];
        }
        if (row >= 0) {
            atomic_add<std::int64_t>(record_.posts[static_cast<std::size_t>(row)].retweets, 1);
            local.cascade_rows.push_back({static_cast<std::uint32_t>(row), viewer, entry.parent,
                                          time, entry.generation + 1});
        }
    }

    // Moves the retweets decided in this window into the pending list, in delivery order.
    void collect_new_retweets(tbb::enumerable_thread_specific<ThreadResults>& threads) {
        std::vector<FeedItem> fresh;
        for (ThreadResults& local : threads) {
            fresh.insert(fresh.end(), local.new_retweets.begin(), local.new_retweets.end());
            local.new_retweets.clear();
        }
        if (fresh.empty()) {
            return;
        }
        std::sort(fresh.begin(), fresh.end(), item_order);
        std::vector<FeedItem> merged;
        merged.reserve(pending_.size() - consumed_ + fresh.size());
        std::merge(pending_.begin() + static_cast<std::ptrdiff_t>(consumed_), pending_.end(),
                   fresh.begin(), fresh.end(), std::back_inserter(merged), item_order);
        pending_ = std::move(merged);
        consumed_ = 0;
    }

    void merge(tbb::enumerable_thread_specific<ThreadResults>& threads) {
        for (ThreadResults& local : threads) {
            for (std::size_t a = 0; a < accounts_; ++a) {
                record_.account_impressions[a] += local.impressions[a];
                record_.account_followers_reached[a] += local.followers_reached[a];
                record_.account_reach[a] += local.reach[a];
                record_.account_retweets[a] += local.retweets[a];
            }
            record_.cascade_rows.insert(record_.cascade_rows.end(), local.cascade_rows.begin(),
                                        local.cascade_rows.end());
            record_.first_views.insert(record_.first_views.end(), local.first_views.begin(),
                                       local.first_views.end());
            record_.first_view_age.merge(local.first_view_age);
            record_.deliveries += local.deliveries;
        }
    }

    const RetweetModel& retweets_;
    const World& world_;
    std::size_t accounts_;
    double horizon_;
    PostTimes posts_;
    ReplicateRecord& record_;
    std::vector<std::uint64_t> first_row_;
    TrackedRecorder tracked_;
    std::vector<AccountIndex> post_author_;
    std::vector<float> appeal_;
    std::vector<FeedItem> originals_;
    std::vector<FeedItem> pending_;  // retweets decided, in delivery order
    std::size_t consumed_ = 0;       // pending_ before this index are delivered
    std::vector<Feed> feeds_;
    std::vector<RandomStream> decisions_;
    std::vector<std::uint32_t> time_rank_;  // per post: its place in originals_
    std::vector<std::vector<std::uint32_t>>
        seen_;                                  // per account: time ranks of posts seen, ascending
    std::vector<std::vector<FeedItem>> inbox_;  // per account: this window's deliveries
    // Per account (when any has them): views outside the feed, by time, and the next one due.
    std::vector<std::vector<OutsideView>> outside_;
    std::vector<std::size_t> outside_next_;
    std::vector<AttentionState> attention_;     // per account, with attention on
    std::vector<double> after_retweet_;         // by segment: profile_visits.after_retweet
    std::vector<std::uint32_t> profile_depth_;  // by segment: profile_visits.depth
    bool any_after_retweet_ = false;
};

}  // namespace

ReplicateRecord simulate_cascades(const Model& model, const World& world, std::uint64_t seed,
                                  std::uint32_t replicate) {
    ReplicateRecord record;
    CascadeReplicate(model, world, seed, replicate, record).run();
    // Thread-local lists arrive in any order: sort them into a total order.
    std::sort(record.cascade_rows.begin(), record.cascade_rows.end(),
              [](const CascadeRow& a, const CascadeRow& b) {
                  return std::tie(a.post, a.time, a.retweeter) <
                         std::tie(b.post, b.time, b.retweeter);
              });
    std::sort(record.first_views.begin(), record.first_views.end(),
              [](const FirstView& a, const FirstView& b) {
                  return std::tie(a.post, a.time, a.viewer) < std::tie(b.post, b.time, b.viewer);
              });
    // Per tracked post: its deepest retweet generation and the times to 50% and 90% of its final
    // reach.
    std::size_t view = 0;
    std::size_t retweet = 0;
    std::vector<double> ages;
    for (std::size_t row = 0; row < record.posts.size(); ++row) {
        PostRecord& post = record.posts[row];
        ages.clear();
        for (; view < record.first_views.size() && record.first_views[view].post == row; ++view) {
            ages.push_back(record.first_views[view].time - post.post_time);
        }
        for (; retweet < record.cascade_rows.size() && record.cascade_rows[retweet].post == row;
             ++retweet) {
            post.deepest_generation =
                std::max(post.deepest_generation, record.cascade_rows[retweet].generation);
        }
        auto time_to_percent = [&](double percent) {
            if (ages.empty()) {
                return std::numeric_limits<double>::quiet_NaN();
            }
            return ages[nearest_rank(percent, ages.size()) - 1];
        };
        post.time_to_reach_50 = time_to_percent(50);
        post.time_to_reach_90 = time_to_percent(90);
    }
    return record;
}

}  // namespace reachsim
