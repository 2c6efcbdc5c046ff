// Records what happens to tracked authors' posts: per post (reach among followers, impressions,
// first-seen delay, reach by segment) and per (tracked author, follower). Shared by every
// scheduler. Per-post counters are updated atomically (tracked posts are few, and the graph
// schedulers resolve followers in parallel); the per-follower rows are touched only by that
// follower's task.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "engine/record.hpp"
#include "engine/world.hpp"

namespace reachsim {

template <typename T>
void atomic_add(T& target, T amount) {
    std::atomic_ref<T>(target).fetch_add(amount, std::memory_order_relaxed);
}

inline void atomic_min(double& target, double value) {
    std::atomic_ref<double> ref(target);
    double current = ref.load(std::memory_order_relaxed);
    while (!(current <= value) &&
           !ref.compare_exchange_weak(current, value, std::memory_order_relaxed)) {
    }
}

class TrackedRecorder {
  public:
    TrackedRecorder(const World& world, const std::vector<std::uint64_t>& post_offsets,
                    const std::vector<std::uint64_t>& first_row, std::size_t segments,
                    ReplicateRecord& record)
        : world_(world),
          post_offsets_(post_offsets),
          first_row_(first_row),
          segments_(segments),
          record_(record) {
        const std::size_t accounts = world.accounts.size();
        tracked_bits_.assign(accounts / 64 + 1, 0);
        for (const AccountIndex author : world.tracked_authors) {
            tracked_bits_[author / 64] |= std::uint64_t{1} << (author % 64);
        }
    }

    // The tracked-post row of `post` (by `author`), or -1 if its author is not tracked. Recorded
    // posts only: the caller checks.
    [[nodiscard]] std::int64_t row(std::uint32_t post, AccountIndex author) const {
        // Most authors are not tracked: one bit says so, before any search.
        if ((tracked_bits_[author / 64] >> (author % 64) & 1) == 0) {
            return -1;
        }
        const auto& tracked = world_.tracked_authors;
        const auto found = std::lower_bound(tracked.begin(), tracked.end(), author);
        if (found == tracked.end() || *found != author) {
            return -1;
        }
        const auto k = static_cast<std::size_t>(found - tracked.begin());
        return static_cast<std::int64_t>(first_row_[k] + (post - post_offsets_[author]));
    }

    // A showing of a tracked post to `follower`, a follower of `author`, by `channel`; `first`:
    // the first time this follower sees the post. Safe when followers are resolved in parallel.
    void follower_view(std::size_t row, AccountIndex author, AccountIndex follower, double now,
                       bool first, Channel channel, LogHistogram& first_view_ages) const {
        const auto& tracked = world_.tracked_authors;
        const auto k = static_cast<std::size_t>(
            std::lower_bound(tracked.begin(), tracked.end(), author) - tracked.begin());
        const auto& followers = world_.tracked_followers[k];
        const auto position = static_cast<std::size_t>(
            std::lower_bound(followers.begin(), followers.end(), follower) - followers.begin());
        record_view<Sharing::concurrent>(row, k, position, follower, now, first, channel,
                                         first_view_ages);
    }

    // An account unfollowed `followee`: counted for it (graphs with attention) and, if it is
    // tracked, for its row. Unfollows are rare: atomic counts suffice.
    void unfollow(AccountIndex followee) const {
        if (!record_.account_unfollows.empty()) {
            atomic_add<std::uint64_t>(record_.account_unfollows[followee], 1);
        }
        if ((tracked_bits_[followee / 64] >> (followee % 64) & 1) != 0) {
            const auto& tracked = world_.tracked_authors;
            const auto k = static_cast<std::size_t>(
                std::lower_bound(tracked.begin(), tracked.end(), followee) - tracked.begin());
            atomic_add<std::int64_t>(record_.unfollows_by_tracked_author[k], 1);
        }
    }

    // A showing of a tracked post to an account that does not follow its author (cascades).
    void other_view(std::size_t row, bool first, Channel channel) const {
        PostRecord& post = record_.posts[row];
        const auto c = static_cast<std::size_t>(channel);
        atomic_add<std::int64_t>(post.impressions, 1);
        if (channel != Channel::feed) {  // the feed's share is derived (complete_feed_channel)
            atomic_add<std::int64_t>(post.impressions_by_channel[c], 1);
            if (first) {
                atomic_add<std::int64_t>(post.reach_by_channel[c], 1);
            }
        }
    }

    enum class Sharing { concurrent, exclusive };

    // The same, for a caller that knows the author's place k among the tracked authors and the
    // follower's among its followers; `exclusive`: no other thread records into this replicate.
    template <Sharing sharing>
    void record_view(std::size_t row, std::size_t k, std::size_t position, AccountIndex follower,
                     double now, bool first, Channel channel, LogHistogram& first_view_ages) const {
        auto add = [](std::int64_t& target) {
            if constexpr (sharing == Sharing::concurrent) {
                atomic_add<std::int64_t>(target, 1);
            } else {
                ++target;
            }
        };
        PostRecord& post = record_.posts[row];
        const auto c = static_cast<std::size_t>(channel);
        add(post.impressions);
        // The feed's share, by far the commonest, is derived when the replicate ends
        // (complete_feed_channel): no extra atomic on the hot tracked posts.
        const bool counted_channel = channel != Channel::feed;
        if (counted_channel) {
            add(post.impressions_by_channel[c]);
        }
        ++record_.follower_impressions[k][position];
        if (!first) {
            return;
        }
        if (counted_channel) {
            add(post.reach_by_channel[c]);
        }
        const double age = now - post.post_time;
        const SegmentIndex segment = world_.accounts.segment[follower];
        add(post.followers_reached);
        add(record_.reached_by_segment[row * segments_ + segment]);
        if constexpr (sharing == Sharing::concurrent) {
            atomic_min(post.first_seen_delay, age);
        } else if (!(post.first_seen_delay <= age)) {  // NaN (unseen so far) or later
            post.first_seen_delay = age;
        }
        ++record_.follower_posts_seen[k][position];
        const std::uint32_t day = record_.post_day[row];
        record_.follower_days_reached[k][position * record_.day_words + day / 64] |=
            std::uint64_t{1} << (day % 64);
        first_view_ages.add(age, segment);
    }

  private:
    const World& world_;
    const std::vector<std::uint64_t>& post_offsets_;
    const std::vector<std::uint64_t>& first_row_;
    std::size_t segments_;
    ReplicateRecord& record_;
    std::vector<std::uint64_t> tracked_bits_;  // by account: is it a tracked author?
};

}  // namespace reachsim
