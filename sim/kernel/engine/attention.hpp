// What an account notices, and whom it stops following (docs/model.md, "Attention: the cost of
// posting often"): within one session the n-th item of the same followee is noticed with
// probability a^(n-1), and an account that has seen more than a threshold of one followee's posts
// in a rolling window unfollows it with a given probability per further post. Items are keyed by
// the followee that put them in the feed (the author, or the retweeter). Per account and
// replicate, for the event-driven resolution of one feed at a time.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/record.hpp"
#include "graph/follower_graph.hpp"
#include "model/model.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

class AttentionState {
  public:
    // Starts another account, keeping the allocated memory; a null or inactive `attention`
    // notices everything and never unfollows.
    void begin(const Attention* attention, const StreamKey& key) {
        attention_ = attention != nullptr && attention->any() ? attention : nullptr;
        random_ = RandomStream(key);
        session_ = std::numeric_limits<double>::quiet_NaN();
        in_session_.clear();
        recent_.clear();
        unfollowed_.clear();
    }

    [[nodiscard]] bool active() const { return attention_ != nullptr; }

    [[nodiscard]] bool has_unfollowed(AccountIndex followee) const {
        return std::find(unfollowed_.begin(), unfollowed_.end(), followee) != unfollowed_.end();
    }

    // An item put in the feed by `followee`, shown at `now` by `channel`: is it noticed? Views
    // outside the feed always are; a session's repeats of one followee fade (live arrivals count
    // in the session opened last); nothing of an unfollowed account is.
    bool notices(AccountIndex followee, double now, Channel channel) {
        if (!active()) {
            return true;
        }
        if (has_unfollowed(followee)) {
            return false;
        }
        if (attention_->same_author >= 1 || channel == Channel::notification ||
            channel == Channel::profile) {
            return true;
        }
        if (channel == Channel::feed && !(now == session_)) {  // a session opening
            session_ = now;
            in_session_.clear();
        }
        // The chance of noticing the followee's next item in this session: 1, a, a^2, ...
        auto found = std::find_if(in_session_.begin(), in_session_.end(),
                                  [&](const auto& entry) { return entry.first == followee; });
        if (found == in_session_.end()) {
            in_session_.emplace_back(followee, attention_->same_author);
            return true;
        }
        const double chance = found->second;
        found->second *= attention_->same_author;
        return random_.uniform_open01() < chance;
    }

    // The account sees an item of `followee` for the first time at `now`: true if it unfollows
    // `followee` now.
    bool first_seen(AccountIndex followee, double now) {
        if (!active() || !(attention_->unfollow_probability > 0)) {
            return false;
        }
        std::deque<double>& times = recent_[followee];
        times.push_back(now);
        while (times.front() <= now - attention_->unfollow_window_seconds) {
            times.pop_front();
        }
        if (times.size() > attention_->unfollow_after_posts &&
            random_.uniform_open01() < attention_->unfollow_probability) {
            unfollowed_.push_back(followee);
            return true;
        }
        return false;
    }

  private:
    const Attention* attention_ = nullptr;
    RandomStream random_{StreamKey{}};
    double session_ = std::numeric_limits<double>::quiet_NaN();  // the session opened last
    // Followees met in this session, with the chance of noticing their next item (a session shows
    // few followees: a short list searched in order beats a hash map).
    std::vector<std::pair<AccountIndex, double>> in_session_;
    std::unordered_map<AccountIndex, std::deque<double>> recent_;  // first views in the window
    std::vector<AccountIndex> unfollowed_;
};

}  // namespace reachsim
