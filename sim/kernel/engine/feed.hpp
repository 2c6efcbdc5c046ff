// One account's chronological feed, resolved exactly at the moments that matter: item arrivals
// and the account's sessions while something is within scroll reach. A running count of arrivals
// gives every entry's depth (arrivals since it); background from followees outside the run adds
// Poisson counts between events. The star and cascade schedulers use it, and the pull scheduler
// for accounts whose attention fades; otherwise the pull scheduler resolves the same model from
// counts (engine/counted_feed.hpp), tested against this one.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "activity/rate_schedule.hpp"
#include "engine/record.hpp"
#include "engine/session_clock.hpp"
#include "graph/follower_graph.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

// A post landing in a feed: the original (generation 0, from its author) or a retweet of it
// (from the retweeter, generation = that of the item the retweeter saw it through + 1). `parent`
// is the account whose followers receive the item: the author, or the retweeter.
struct FeedItem {
    double time = 0;
    std::uint32_t post = 0;
    AccountIndex parent = 0;
    std::uint32_t generation = 0;
    bool recorded = false;  // the post was made during simulation.duration (retweets inherit it)
};

struct FeedEntry {
    std::uint64_t arrivals_before = 0;  // feed arrivals counted up to and including this one
    std::uint32_t post = 0;
    AccountIndex parent = 0;
    std::uint32_t generation = 0;
    std::uint32_t views = 0;  // sessions that showed it
    bool recorded = false;
};

struct FeedParameters {
    const RateSchedule* sessions = nullptr;  // unit-rate shape
    double sessions_per_day = 0;
    const RateSchedule* background = nullptr;  // unit-rate shape
    double background_per_day = 0;
    std::uint64_t scroll_depth = 1;  // items a session shows, or the most any session shows...
    const Distribution* depth_per_session = nullptr;  // ...when each session draws its own
    double horizon = 0;                               // nothing happens at or after this time
    const Distribution* session_duration = nullptr;   // how long a session stays open (null: 0)
    std::uint64_t item_budget = 0;  // sessions that last: the most items one shows (0: no budget)
};

// Sessions that last, with a budget: how many arrivals a session that showed `depth` on opening
// still shows live.
[[nodiscard]] inline std::uint64_t live_allowance(std::uint64_t item_budget, std::uint64_t depth) {
    return item_budget > depth ? item_budget - depth : 0;
}

// The random streams of one account's feed: background counts, and its sessions.
struct FeedStreams {
    StreamKey background;
    StreamKey sessions;
};

class Feed {
  public:
    Feed() = default;
    Feed(const FeedParameters& parameters, const FeedStreams& streams) {
        restart(parameters, streams);
    }

    // Starts over for another account, keeping the allocated memory.
    void restart(const FeedParameters& parameters, const FeedStreams& streams) {
        // The session parameters live in the clock only: a cascade run keeps a feed per account.
        p_ = {parameters.background, parameters.background_per_day, parameters.horizon,
              parameters.item_budget};
        random_ = RandomStream(streams.background);
        clock_.restart(parameters.sessions, parameters.sessions_per_day, parameters.scroll_depth,
                       parameters.depth_per_session, streams.sessions, parameters.session_duration);
        entries_.clear();
        oldest_ = 0;
        arrived_ = 0;
        background_cumulative_ = 0;
        opened_time_ = -std::numeric_limits<double>::infinity();
        opened_arrivals_ = 0;
    }

    // Sunk entries are dropped once there are this many and they are half the feed.
    static constexpr std::size_t compact_after = 64;

    [[nodiscard]] bool empty() const { return oldest_ == entries_.size(); }

    // When the next session would show something: infinity while nothing is within reach.
    [[nodiscard]] double next_session_time() const {
        return empty() ? std::numeric_limits<double>::infinity() : clock_.upcoming().time;
    }

    // Runs the sessions before `until` (and before the horizon). Each shows the entries within
    // its depth: on_view(entry, time, first, Channel::feed) with first = its first showing in this
    // feed, and stays open for its duration (see arrive). Entries that sink are passed to
    // on_settle(entry) once.
    template <typename OnView, typename OnSettle>
    void run_sessions_before(double until, OnView&& on_view, OnSettle&& on_settle) {
        const double end = until < p_.horizon ? until : p_.horizon;
        while (!empty() && clock_.upcoming().time < end) {
            const Session session = clock_.upcoming();
            const double now = session.time;
            arrived_ += background(now);
            sink(on_settle);
            opened_time_ = now;
            opened_arrivals_ = arrived_;
            for (std::size_t i = entries_.size();
                 i > oldest_ && arrived_ - entries_[i - 1].arrivals_before < session.depth; --i) {
                FeedEntry& entry = entries_[i - 1];
                const bool first = entry.views++ == 0;
                on_view(entry, now, first, Channel::feed);
            }
            clock_.next_after(now);
        }
    }

    // An item arrives; run_sessions_before(item.time) must have been called. A session still open
    // shows it as it arrives (on_view at its arrival time, Channel::live).
    template <typename OnView, typename OnSettle>
    void arrive(const FeedItem& item, OnView&& on_view, OnSettle&& on_settle) {
        if (empty()) {
            // Nothing within reach: start afresh here. The background before now buried nothing
            // that matters; the sessions go on as they were (those skipped while the feed was
            // empty are passed now, and the last of them may still be open).
            entries_.clear();
            oldest_ = 0;
            clock_.next_after(item.time);
            if (p_.item_budget > 0 && clock_.sessions_last()) {
                count_background_since_opened(item.time);
            } else {
                background_cumulative_ =
                    p_.background_per_day > 0 ? p_.background->cumulative(item.time) : 0;
            }
            entries_.push_back(entry_for(item));
        } else {
            arrived_ += background(item.time);
            entries_.push_back(entry_for(item));
            sink(on_settle);
        }
        // Every session before now has been passed (run or skipped): is one of them still open?
        if (clock_.sessions_last() && item.time < p_.horizon && shown_live(item)) {
            FeedEntry& entry = entries_.back();
            const bool first = entry.views++ == 0;
            on_view(entry, item.time, first, Channel::live);
        }
    }

    // Ends the feed at the horizon: returns how many recorded entries are still within reach and
    // undecided, and settles every entry left. The background that arrived between the last event
    // and the horizon is added first, so entries it pushed below the scroll depth count as
    // settled, not as undecided. decided(entry): the account saw the entry's post (here or
    // elsewhere: a notification, a profile), or never can; by default, a session showed it.
    template <typename OnSettle, typename Decided>
    std::uint64_t finish(OnSettle&& on_settle, Decided&& decided) {
        std::uint64_t unresolved = 0;
        if (!empty() && std::isfinite(p_.horizon)) {
            arrived_ += background(p_.horizon);
            sink(on_settle);
        }
        if (!clock_.never_looks()) {
            for (std::size_t i = oldest_; i < entries_.size(); ++i) {
                const FeedEntry& entry = entries_[i];
                unresolved += entry.recorded && !decided(entry) ? 1 : 0;
            }
        }
        for (; oldest_ < entries_.size(); ++oldest_) {
            on_settle(entries_[oldest_]);
        }
        return unresolved;
    }
    template <typename OnSettle>
    std::uint64_t finish(OnSettle&& on_settle) {
        return finish(on_settle, [](const FeedEntry& entry) { return entry.views > 0; });
    }

  private:
    // Without a budget, any session still open shows an arrival; with one, the session opened
    // last, while its allowance lasts (arrived_ counts this item).
    [[nodiscard]] bool shown_live(const FeedItem& item) const {
        if (p_.item_budget == 0) {
            return item.time <= clock_.open_until();
        }
        const SessionClock::Opened& latest = clock_.latest();
        return item.time <= latest.end &&
               arrived_ - opened_arrivals_ <= live_allowance(p_.item_budget, latest.depth);
    }

    // With a budget, the background of the stretch the feed was empty counts: the arrivals since
    // the session opened last (split where it opened, if it opened in that stretch).
    void count_background_since_opened(double now) {
        const SessionClock::Opened& latest = clock_.latest();
        if (latest.time > opened_time_ && latest.time <= now) {
            arrived_ += background(latest.time);
            opened_time_ = latest.time;
            opened_arrivals_ = arrived_;
        }
        arrived_ += background(now);
    }

    FeedEntry entry_for(const FeedItem& item) {
        return {++arrived_, item.post, item.parent, item.generation, 0, item.recorded};
    }

    template <typename OnSettle>
    void sink(OnSettle& on_settle) {
        while (oldest_ < entries_.size() &&
               arrived_ - entries_[oldest_].arrivals_before >= clock_.depth()) {
            on_settle(entries_[oldest_++]);
        }
        // Drop what has sunk once it is most of the vector: a feed that never empties (a busy
        // account of a cascade run) would otherwise keep every item it ever received.
        if (oldest_ >= compact_after && 2 * oldest_ >= entries_.size()) {  // amortised O(1)
            entries_.erase(entries_.begin(),
                           entries_.begin() + static_cast<std::ptrdiff_t>(oldest_));
            oldest_ = 0;
        }
    }

    // Background arrivals since the previous event: one Poisson count (the cumulative expected
    // count is carried forward so that each event evaluates it once).
    std::uint64_t background(double to) {
        if (p_.background_per_day <= 0) {
            return 0;
        }
        const double cumulative = p_.background->cumulative(to);
        const double expected = p_.background_per_day * (cumulative - background_cumulative_);
        background_cumulative_ = cumulative;
        return static_cast<std::uint64_t>(random_.poisson(expected));
    }

    // What the feed needs of FeedParameters beyond the clock's.
    struct OwnParameters {
        const RateSchedule* background = nullptr;
        double background_per_day = 0;
        double horizon = 0;
        std::uint64_t item_budget = 0;
    };
    OwnParameters p_;
    RandomStream random_{StreamKey{}};  // background counts
    SessionClock clock_;
    std::vector<FeedEntry> entries_;  // oldest first; those before oldest_ have sunk
    std::size_t oldest_ = 0;
    std::uint64_t arrived_ = 0;
    double background_cumulative_ = 0;
    // With a budget: when the session opened last opened, and arrived_ then.
    double opened_time_ = -std::numeric_limits<double>::infinity();
    std::uint64_t opened_arrivals_ = 0;
};

}  // namespace reachsim
