// One account's feed over a whole finite horizon at once, resolved from counts: the pull
// scheduler's resolver (the star and cascade schedulers, which need events in time order, use
// engine/feed.hpp). Its model is Feed's: a session shows the newest `depth` items, an item sinks
// after `scroll_depth` arrivals, an open session shows arrivals live, background arrives as a
// Poisson process. Only the order of work differs:
//
// - The account's sessions split the horizon into gaps; each item falls in the gap that the next
//   session closes. Arrivals per gap are counts: the items in it plus one Poisson draw of
//   background — no sort, no walk of each session over the items it shows.
// - Going back from the last gap, each later session keeps a threshold: it shows an item of gap g
//   iff fewer than h arrivals follow the item within g. When no threshold falls inside the gap's
//   count (the common case), every item of the gap has the same fate, decided from counts alone.
//   The other gaps' items are split around pivots (a selection, not a sort) and the background
//   divided at each pivot by a binomial draw (the multinomial split of a Poisson count), so the
//   answer is exact.
//
// With no background, the sessions (from the same day-keyed streams) make the result identical,
// item for item, to Feed's; with background it is equal in distribution (docs/model.md, "How the
// pull scheduler works").
#pragma once

#include <algorithm>
#include <bit>
#include <boost/random/binomial_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/errors.hpp"
#include "core/select_nth.hpp"
#include "engine/feed.hpp"
#include "engine/session_clock.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

// What a feed showed of one item.
struct FeedViews {
    std::uint32_t sessions = 0;  // sessions that showed it on opening
    double first_session_time = std::numeric_limits<double>::quiet_NaN();
    bool live = false;       // shown as it arrived, by a session already open
    bool undecided = false;  // unseen, and still within reach at the horizon

    [[nodiscard]] std::uint32_t total() const { return sessions + (live ? 1 : 0); }
    [[nodiscard]] double first_time(const FeedItem& item) const {
        return live ? item.time : first_session_time;
    }
};

class CountedFeed {
  public:
    // Starts the feed of another account (keeping the allocated memory). Its sessions are drawn
    // when the first item arrives.
    void begin(const FeedParameters& parameters, const FeedStreams& streams) {
        if (!std::isfinite(parameters.horizon) || !(parameters.horizon > 0)) {
            throw internal_error("CountedFeed: the horizon must be positive and finite");
        }
        p_ = parameters;
        streams_ = streams;
        item_count_ = 0;
    }

    // An item lands in the feed, in any order; its time is below the horizon.
    void add(const FeedItem& item) {
        add_each(1, [&](std::size_t) { return item; });
    }

    // `count` items land in the feed, item_at(k) for k < count (an author's posts): add() for each,
    // in one loop that checks for room once and keeps the feed's arrays in registers.
    template <typename ItemAt>
    void add_each(std::size_t count, ItemAt&& item_at) {
        if (count == 0) {
            return;
        }
        if (item_count_ == 0) {
            draw_sessions();
        }
        if (item_count_ + count > items_.size()) {
            const std::size_t room =
                std::max({2 * items_.size(), item_count_ + count, std::size_t{64}});
            items_.resize(room);
            gap_of_.resize(room);
        }
        FeedItem* const items = items_.data() + item_count_;
        std::uint32_t* const gap_of = gap_of_.data() + item_count_;
        std::uint32_t* const items_in_gap = items_in_gap_.data();
        std::uint32_t first_gap = first_gap_;
        for (std::size_t k = 0; k < count; ++k) {
            // Written in place: built on the stack first, the item was copied with overlapping
            // loads of fields just stored (measured: 2-3% slower).
            items[k] = item_at(k);
            // The gap closed by the first session at or after it (a session at the very moment
            // an item arrives shows it, as in Feed).
            const std::uint32_t gap = first_session_at_or_after(items[k].time);
            gap_of[k] = gap;
            ++items_in_gap[gap];
            first_gap = std::min(first_gap, gap);
        }
        first_gap_ = first_gap;
        item_count_ += count;
    }

    // Resolves the items added since begin(): on_resolved(item, FeedViews) once per item, in no
    // particular order.
    template <typename OnResolved>
    void resolve(OnResolved&& on_resolved) {
        if (item_count_ == 0) {
            return;
        }
        plan_gaps();
        deferred_.clear();
        // If sessions do not last, the items of a uniform gap share their views.
        const bool sessions_last = sessions_can_last();
        for (std::size_t i = 0; i < item_count_; ++i) {
            const FeedItem& item = items_[i];
            const GapPlan& plan = plans_[gap_of_[i]];
            if (!plan.uniform) {
                deferred_.push_back(static_cast<std::uint32_t>(i));
                continue;
            }
            on_resolved(item, sessions_last
                                  ? views_of(item, gap_of_[i], plan.session_views,
                                             plan.first_session, plan.unresolved_if_unseen, true)
                                  : plan.views_on_opening);
        }
        if (!deferred_.empty()) {
            resolve_deferred(items_, on_resolved);
        }
    }

  private:
    static constexpr std::uint32_t no_session = std::numeric_limits<std::uint32_t>::max();

    // A later session's threshold, kept as v = depth + (arrivals after its gap): for gap g it shows
    // an item followed by fewer than v - (arrivals after g) arrivals within g.
    struct Threshold {
        std::uint32_t session = 0;
        std::uint64_t value = 0;
        std::uint64_t arrivals_after = 0;  // after the session's own gap
    };

    struct GapPlan {
        bool uniform = true;                       // every item of the gap has the same fate
        bool unresolved_if_unseen = false;         // (uniform) still within reach at the horizon
        std::uint32_t session_views = 0;           // (uniform) sessions that show each item
        std::uint32_t first_session = no_session;  // (uniform) the first of them
        FeedViews views_on_opening;                // (uniform) what they show of each item
        std::uint64_t background = 0;              // background arrivals in the gap
        std::uint64_t arrivals_after = 0;          // all arrivals after the gap
        std::size_t thresholds_begin = 0;          // (not uniform) its sessions' thresholds,
        std::size_t thresholds_end = 0;            // in session order, in `gap_thresholds_`
    };

    // For one gap: `session` shows the items followed by fewer than `arrivals` within the gap.
    struct GapThreshold {
        std::uint32_t session = 0;
        std::uint64_t arrivals = 0;
    };

    void draw_sessions() {
        session_time_.clear();
        session_depth_.clear();
        open_until_.clear();
        session_end_.clear();
        clock_.restart(p_.sessions, p_.sessions_per_day, p_.scroll_depth, p_.depth_per_session,
                       streams_.sessions, p_.session_duration);
        never_looks_ = clock_.never_looks();
        for (Session s = clock_.next_after(-std::numeric_limits<double>::infinity());
             s.time < p_.horizon;) {
            session_time_.push_back(s.time);
            session_depth_.push_back(s.depth);
            s = clock_.next_after(s.time);  // passes s: open_until() now includes it
            open_until_.push_back(clock_.open_until());
            session_end_.push_back(clock_.latest().end);
        }
        items_in_gap_.assign(session_time_.size() + 1, 0);
        first_gap_ = static_cast<std::uint32_t>(session_time_.size());
        index_sessions();
    }

    // Sessions bucketed by time, a few buckets per session, so that an item finds its gap with a
    // multiplication and a step or two rather than a binary search.
    void index_sessions() {
        const std::size_t sessions = session_time_.size();
        const std::size_t buckets = buckets_per_session * (sessions + 1);
        buckets_per_second_ = static_cast<double>(buckets) / p_.horizon;
        last_bucket_ = buckets - 1;
        sessions_before_bucket_.assign(buckets, 0);
        for (const double t : session_time_) {
            if (const std::size_t bucket = bucket_of(t); bucket < last_bucket_) {
                ++sessions_before_bucket_[bucket + 1];
            }
        }
        for (std::size_t b = 1; b < buckets; ++b) {
            sessions_before_bucket_[b] += sessions_before_bucket_[b - 1];
        }
        times_to_search_.assign(session_time_.begin(), session_time_.end());
        times_to_search_.push_back(std::numeric_limits<double>::infinity());  // stops the search
    }

    // Monotone in `time`: a session in an earlier bucket than an item's came before it.
    [[nodiscard]] std::size_t bucket_of(double time) const {
        return std::min(static_cast<std::size_t>(std::max(time * buckets_per_second_, 0.0)),
                        last_bucket_);
    }

    [[nodiscard]] std::uint32_t first_session_at_or_after(double time) const {
        std::uint32_t session = sessions_before_bucket_[bucket_of(time)];
        while (times_to_search_[session] < time) {
            ++session;
        }
        return session;
    }

    [[nodiscard]] double gap_start(std::size_t gap) const {
        return gap > 0 ? session_time_[gap - 1] : 0.0;
    }
    [[nodiscard]] double gap_end(std::size_t gap) const {
        return gap < session_time_.size() ? session_time_[gap] : p_.horizon;
    }

    // From the last gap back to the first that holds an item: each gap's arrivals, and whether
    // its items share one fate.
    void plan_gaps() {
        const std::size_t sessions = session_time_.size();
        plans_.assign(sessions + 1, GapPlan{});
        thresholds_.clear();
        gap_thresholds_.clear();
        std::size_t oldest_live = 0;  // thresholds before it have sunk for good
        background_random_ = RandomStream(streams_.background);
        std::uint64_t after = 0;
        for (std::size_t gap = sessions + 1; gap-- > first_gap_;) {
            GapPlan& plan = plans_[gap];
            plan.arrivals_after = after;
            plan.background = background_in(gap_start(gap), gap_end(gap));
            if (gap < sessions) {
                thresholds_.push_back(
                    {static_cast<std::uint32_t>(gap), session_depth_[gap] + after, after});
            }
            // A session with scroll_depth arrivals or more between the end of gap g and itself
            // shows nothing of g or earlier: those are the oldest entries.
            while (oldest_live < thresholds_.size() &&
                   after - thresholds_[oldest_live].arrivals_after >= p_.scroll_depth) {
                ++oldest_live;
            }
            const std::uint64_t arrivals = items_in_gap_[gap] + plan.background;
            if (items_in_gap_[gap] > 0) {
                plan_gap(plan, gap, arrivals, oldest_live);
            }
            after += arrivals;
        }
    }

    // Thresholds (per item, as arrivals after it within the gap) of the live sessions: the gap is
    // uniform if none falls strictly inside (0, arrivals).
    void plan_gap(GapPlan& plan, std::size_t gap, std::uint64_t arrivals, std::size_t oldest_live) {
        const std::uint64_t after = plan.arrivals_after;
        for (std::size_t t = thresholds_.size(); t-- > oldest_live;) {  // in session order
            const Threshold& threshold = thresholds_[t];
            if (threshold.value <= after) {
                continue;  // a shallow session: the arrivals after g already fill it
            }
            const std::uint64_t h = threshold.value - after;
            plan.uniform = plan.uniform && h >= arrivals;
            ++plan.session_views;
            plan.first_session = std::min(plan.first_session, threshold.session);
        }
        const std::uint64_t reach = unresolved_reach(after);
        plan.uniform =
            plan.uniform && (reach == 0 || reach >= arrivals) && live_from(gap, arrivals) == 0;
        plan.unresolved_if_unseen = reach > 0;
        if (plan.uniform) {
            plan.views_on_opening =
                views_on_opening(plan.session_views, plan.first_session, plan.unresolved_if_unseen);
        } else {
            plan.thresholds_begin = gap_thresholds_.size();
            for (std::size_t t = thresholds_.size(); t-- > oldest_live;) {
                if (thresholds_[t].value > after) {
                    gap_thresholds_.push_back(
                        {thresholds_[t].session, thresholds_[t].value - after});
                }
            }
            plan.thresholds_end = gap_thresholds_.size();
        }
    }

    // With a budget: items of `gap` (holding `arrivals`) followed by at least this many arrivals
    // within it came while the session that opened the gap still had allowance (0: all did).
    [[nodiscard]] std::uint64_t live_from(std::size_t gap, std::uint64_t arrivals) const {
        if (p_.item_budget == 0 || gap == 0 || p_.session_duration == nullptr) {
            return 0;
        }
        const std::uint64_t allowance = live_allowance(p_.item_budget, session_depth_[gap - 1]);
        return arrivals > allowance ? arrivals - allowance : 0;
    }

    // An unseen item followed by fewer than this many arrivals within its gap is still within
    // reach at the horizon.
    [[nodiscard]] std::uint64_t unresolved_reach(std::uint64_t arrivals_after_gap) const {
        if (never_looks_ || arrivals_after_gap >= p_.scroll_depth) {
            return 0;
        }
        return p_.scroll_depth - arrivals_after_gap;
    }

    std::uint64_t background_in(double from, double to) {
        if (p_.background_per_day <= 0) {
            return 0;
        }
        const double expected =
            p_.background_per_day * (background_cumulative(to) - background_cumulative(from));
        return static_cast<std::uint64_t>(background_random_.poisson(expected));
    }

    // An item of `gap`, shown by `sessions` sessions from `first_session` on: shown live too if a
    // session before the gap was still open when it arrived (with a budget: the session that
    // opened the gap, while `within_allowance`); undecided if unseen and within reach.
    [[nodiscard]] FeedViews views_of(const FeedItem& item, std::uint32_t gap,
                                     std::uint32_t sessions, std::uint32_t first_session,
                                     bool within_reach, bool within_allowance) const {
        FeedViews views = views_on_opening(sessions, first_session, within_reach);
        if (p_.item_budget == 0) {
            views.live = gap > 0 && item.time <= open_until_[gap - 1];
        } else {
            views.live = gap > 0 && within_allowance && item.time <= session_end_[gap - 1];
        }
        views.undecided = within_reach && views.total() == 0;
        return views;
    }

    // Whether a session may stay open after it opens: otherwise an item (which arrives after
    // the session before its gap) is never shown live.
    [[nodiscard]] bool sessions_can_last() const { return p_.session_duration != nullptr; }

    // The same, but for views of an open session as the item arrives: all an item's views when
    // sessions do not last.
    [[nodiscard]] FeedViews views_on_opening(std::uint32_t sessions, std::uint32_t first_session,
                                             bool within_reach) const {
        FeedViews views;
        views.sessions = sessions;
        if (first_session != no_session) {
            views.first_session_time = session_time_[first_session];
        }
        views.undecided = within_reach && sessions == 0;
        return views;
    }

    // An item of a gap whose fates differ, with its place in `items`, as two integers whose order
    // is (time, post)'s: the split compares them without a branch (core/select_nth.hpp).
    struct Pending {
        std::uint64_t time_order = 0;     // ordered_bits(time)
        std::uint64_t post_and_item = 0;  // post in the high half, the place in the low half

        Pending() = default;
        Pending(double time, std::uint32_t post, std::uint32_t item)
            : time_order(ordered_bits(time)), post_and_item(std::uint64_t{post} << 32U | item) {}

        [[nodiscard]] double time() const { return from_ordered_bits(time_order); }
        [[nodiscard]] std::uint32_t item() const {
            return static_cast<std::uint32_t>(post_and_item);
        }
        // Newer: later, or as late and a later post (items of one feed are distinct posts).
        [[nodiscard]] static bool newer(const Pending& a, const Pending& b) {
            return (a.time_order > b.time_order) |
                   ((a.time_order == b.time_order) & (a.post_and_item > b.post_and_item));
        }
    };
    static_assert(sizeof(Pending) == 16);

    // A double's bits, flipped so that unsigned order is the numbers' order (-0 just before +0).
    static std::uint64_t ordered_bits(double x) {
        const auto bits = std::bit_cast<std::uint64_t>(x);
        return (bits >> 63U) != 0 ? ~bits : bits | (std::uint64_t{1} << 63U);
    }
    static double from_ordered_bits(std::uint64_t ordered) {
        return std::bit_cast<double>((ordered >> 63U) != 0 ? ordered & ~(std::uint64_t{1} << 63U)
                                                           : ~ordered);
    }

    // Items of gaps whose fates differ, gap by gap.
    template <typename OnResolved>
    void resolve_deferred(const std::vector<FeedItem>& items, OnResolved& on_resolved) {
        // Bucket by gap (few gaps, so a counting sort).
        deferred_start_.assign(plans_.size() + 1, 0);
        for (const std::uint32_t i : deferred_) {
            ++deferred_start_[gap_of_[i] + 1];
        }
        for (std::size_t gap = 0; gap < plans_.size(); ++gap) {
            deferred_start_[gap + 1] += deferred_start_[gap];
        }
        pending_.resize(deferred_.size());
        for (const std::uint32_t i : deferred_) {
            pending_[deferred_start_[gap_of_[i]]++] = Pending(items[i].time, items[i].post, i);
        }
        std::size_t begin = 0;
        for (std::size_t gap = 0; gap < plans_.size(); ++gap) {
            const std::size_t end = deferred_start_[gap];  // advanced to the next gap's start
            if (begin == end) {
                continue;
            }
            const GapPlan& plan = plans_[gap];
            const GapRule rule{gap_thresholds_.data() + plan.thresholds_begin,
                               gap_thresholds_.data() + plan.thresholds_end,
                               unresolved_reach(plan.arrivals_after),
                               live_from(gap, items_in_gap_[gap] + plan.background)};
            auto settle = [&](std::size_t from, std::size_t to, std::uint64_t arrivals_after) {
                std::uint32_t views = 0;
                std::uint32_t first_session = no_session;
                for (const GapThreshold* t = rule.begin; t != rule.end; ++t) {
                    if (arrivals_after < t->arrivals) {
                        ++views;
                        first_session = std::min(first_session, t->session);
                    }
                }
                if (!sessions_can_last()) {  // the part's items share their views
                    const FeedViews shared =
                        views_on_opening(views, first_session, arrivals_after < rule.reach);
                    for (std::size_t k = from; k < to; ++k) {
                        on_resolved(items[pending_[k].item()], shared);
                    }
                    return;
                }
                for (std::size_t k = from; k < to; ++k) {
                    const FeedItem& item = items[pending_[k].item()];
                    on_resolved(item, views_of(item, static_cast<std::uint32_t>(gap), views,
                                               first_session, arrivals_after < rule.reach,
                                               arrivals_after >= rule.live_from));
                }
            };
            split(begin, end, background_cumulative(gap_start(gap)),
                  background_cumulative(gap_end(gap)), plan.background, 0, rule, settle);
            begin = end;
        }
    }

    // What tells one item's fate from another's within a gap: the sessions' thresholds and the
    // reach that leaves an unseen item undecided at the horizon.
    struct GapRule {
        const GapThreshold* begin;
        const GapThreshold* end;
        std::uint64_t reach;
        std::uint64_t live_from;  // with a budget (0: none, or every item is within allowance)

        // The smallest number of arrivals (after an item, within the gap) above `fewest` and at
        // most `most` that changes an item's fate, or 0 if none does: items followed by `fewest`
        // to `most` arrivals then share one fate.
        [[nodiscard]] std::uint64_t first_split(std::uint64_t fewest, std::uint64_t most) const {
            std::uint64_t first = 0;
            auto consider = [&](std::uint64_t arrivals) {
                if (fewest < arrivals && arrivals <= most && (first == 0 || arrivals < first)) {
                    first = arrivals;
                }
            };
            for (const GapThreshold* t = begin; t != end; ++t) {
                consider(t->arrivals);
            }
            consider(reach);
            consider(live_from);
            return first;
        }
    };

    // Settles pending_[begin, end), the items of an interval of a gap (from the lower to the upper
    // cumulative background), which holds `background` background arrivals and is followed by
    // `arrivals_after` arrivals within the gap: in two parts around a pivot item (a selection, not
    // a sort), splitting the background binomially there, until the items of a part share one
    // fate. settle(from, to, arrivals_after) gets each part with the arrivals after its newest
    // item.
    template <typename Settle>
    void split(std::size_t begin, std::size_t end, double lower, double upper,
               std::uint64_t background, std::uint64_t arrivals_after, const GapRule& rule,
               Settle& settle) {
        while (begin < end) {
            const std::size_t count = end - begin;
            const std::uint64_t threshold =
                rule.first_split(arrivals_after, arrivals_after + count - 1 + background);
            if (threshold == 0) {
                settle(begin, end, arrivals_after);
                return;
            }
            // Without background the pivot can be the item the threshold falls on; with it, where
            // the threshold falls is random, and halving keeps the work linear.
            const std::size_t newer_items =
                background == 0 ? threshold - arrivals_after : count / 2;
            const std::size_t middle = begin + std::min(newer_items, count - 1);
            select_nth(pending_.data() + begin, pending_.data() + middle, pending_.data() + end,
                       [](const Pending& a, const Pending& b) { return Pending::newer(a, b); });
            const double at_middle = background_cumulative(pending_[middle].time());
            std::uint64_t newer_background = 0;
            if (background > 0 && upper > lower) {
                const double share = std::clamp((upper - at_middle) / (upper - lower), 0.0, 1.0);
                newer_background = static_cast<std::uint64_t>(
                    boost::random::binomial_distribution<std::int64_t, double>(
                        static_cast<std::int64_t>(background), share)(background_random_));
            }
            split(begin, middle, at_middle, upper, newer_background, arrivals_after, rule, settle);
            arrivals_after += (middle - begin) + newer_background;
            settle(middle, middle + 1, arrivals_after);
            // The older part, below the middle item.
            begin = middle + 1;
            upper = at_middle;
            background -= newer_background;
            arrivals_after += 1;
        }
    }

    [[nodiscard]] double background_cumulative(double t) const {
        return p_.background_per_day > 0 ? p_.background->cumulative(t) : 0.0;
    }

    FeedParameters p_;
    FeedStreams streams_;
    SessionClock clock_;
    bool never_looks_ = false;
    RandomStream background_random_{StreamKey{}};
    std::vector<double> session_time_;
    std::vector<std::uint64_t> session_depth_;
    std::vector<double> open_until_;   // after each session: when the sessions so far have closed
    std::vector<double> session_end_;  // when each session closes
    static constexpr std::size_t buckets_per_session = 4;
    double buckets_per_second_ = 0;
    std::size_t last_bucket_ = 0;
    std::vector<std::uint32_t> sessions_before_bucket_;
    std::vector<double> times_to_search_;  // session_time_ and +infinity
    // The items added since begin() are the first item_count_ (the arrays only grow, so that
    // adding an item writes it and nothing else).
    std::vector<FeedItem> items_;
    std::vector<std::uint32_t> gap_of_;  // of each item
    std::size_t item_count_ = 0;
    std::vector<std::uint32_t> items_in_gap_;
    std::uint32_t first_gap_ = 0;
    std::vector<GapPlan> plans_;
    std::vector<Threshold> thresholds_;         // later sessions, the latest first
    std::vector<GapThreshold> gap_thresholds_;  // of the gaps that are not uniform
    std::vector<std::uint32_t> deferred_;       // items of gaps that are not uniform
    std::vector<std::size_t> deferred_start_;   // ... bucketed by gap
    std::vector<Pending> pending_;
};

}  // namespace reachsim
