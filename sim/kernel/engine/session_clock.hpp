// An account's viewing sessions: a Poisson process at the account's own rate following its
// segment's rhythm, with each session's scroll depth. Sessions are drawn one simulated day at a
// time, from a stream keyed by (account, day), so an account looks at the same moments whatever
// arrives in its feed: nothing restarts the process at a post, and every point of a sweep sees the
// same sessions (common random numbers). Restarting a Poisson process at each midnight is exact
// (it is memoryless).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "activity/rate_schedule.hpp"
#include "core/time.hpp"
#include "model/distribution.hpp"
#include "random/draw.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

struct Session {
    double time = std::numeric_limits<double>::infinity();
    std::uint64_t depth = 0;  // items it shows on opening
};

class SessionClock {
  public:
    // `rhythm` at unit rate, scaled by `per_day`. Each session shows `depth` items, or a draw of
    // `depth_per_session` (if not null) capped at `depth`, and lasts a draw of `duration` (null:
    // 0; a fixed duration draws nothing, so the streams are those of sessions without one).
    // `key.substream` is replaced by the day.
    void restart(const RateSchedule* rhythm, double per_day, std::uint64_t depth,
                 const Distribution* depth_per_session, const StreamKey& key,
                 const Distribution* duration = nullptr) {
        rhythm_ = rhythm;
        per_day_ = per_day;
        depth_ = depth;
        depth_per_session_ = depth_per_session;
        duration_ = duration;
        key_ = key;
        day_ = -1;
        next_ = Session{};
        open_until_ = -std::numeric_limits<double>::infinity();
        latest_ = Opened{};
    }

    [[nodiscard]] bool never_looks() const {
        return !(per_day_ >= least_rate_per_day) || rhythm_->never_fires();
    }

    // The first session after `t`; `t` never decreases from one call to the next.
    Session next_after(double t) {
        if (never_looks()) {
            return {};
        }
        // A `t` in an earlier day than the one begun can only follow a query that found no
        // session left in that earlier day: the sessions drawn since are the next ones.
        const auto day = static_cast<std::int64_t>(std::floor(std::max(t, 0.0) / seconds_per_day));
        if (day > day_) {
            if (duration_ == nullptr) {
                begin_day(day);
            } else if (day_ < 0 || day - 1 > day_) {
                // Sessions that last (at most a day) may still be open from the day before: it is
                // drawn and passed too (the same sessions: streams are by day).
                begin_day(day > 0 ? day - 1 : 0);
            }
            // Otherwise the rest of the day begun is passed on the way into the next.
        }
        while (next_.time <= t) {
            if (duration_ != nullptr) {
                open_until_ = std::max(open_until_, next_.time + next_duration_);
                latest_ = {next_.time, next_.time + next_duration_, next_.depth};
            }
            draw_next();
        }
        return next_;
    }

    // The first session not yet passed (what next_after returned last).
    [[nodiscard]] const Session& upcoming() const { return next_; }

    // Items a session shows at most.
    [[nodiscard]] std::uint64_t depth() const { return depth_; }

    // Whether sessions stay open for a while (have a duration).
    [[nodiscard]] bool sessions_last() const { return duration_ != nullptr; }

    // When the sessions passed so far (those at or before the latest `t` asked about) have all
    // closed: a later `t` before it falls in an open session.
    [[nodiscard]] double open_until() const { return open_until_; }

    // The latest session passed so far (sessions that last only): when it opened and closes, and
    // how many items it showed on opening.
    struct Opened {
        double time = -std::numeric_limits<double>::infinity();
        double end = -std::numeric_limits<double>::infinity();
        std::uint64_t depth = 0;
    };
    [[nodiscard]] const Opened& latest() const { return latest_; }

  private:
    // Substreams are 24 bits wide: days beyond them (45,000 years) have no sessions.
    static constexpr std::int64_t last_day = std::int64_t{1} << 24;

    // Sessions are drawn lazily, one at a time, from the start of their day.
    void begin_day(std::int64_t day) {
        start_stream(day);
        draw_next();
    }

    void start_stream(std::int64_t day) {
        day_ = day;
        StreamKey key = key_;
        key.substream = static_cast<std::uint32_t>(day);
        random_ = RandomStream(key);
        walker_ = rhythm_->walk_from(static_cast<double>(day) * seconds_per_day);
    }

    void draw_next() {
        while (true) {
            const double day_end = static_cast<double>(day_ + 1) * seconds_per_day;
            const double t = walker_.advance(random_.standard_exponential() / per_day_, day_end);
            if (t < day_end) {
                std::uint64_t depth = depth_;
                if (depth_per_session_ != nullptr) {
                    const double drawn = std::round(draw(*depth_per_session_, random_));
                    depth = std::min(depth, static_cast<std::uint64_t>(std::max(1.0, drawn)));
                }
                if (duration_ != nullptr) {
                    next_duration_ = std::min(duration_->kind == Distribution::Kind::fixed
                                                  ? duration_->value
                                                  : draw(*duration_, random_),
                                              seconds_per_day);
                }
                next_ = {t, depth};
                return;
            }
            if (day_ + 1 >= last_day) {
                next_ = Session{};
                return;
            }
            start_stream(day_ + 1);
        }
    }

    const RateSchedule* rhythm_ = nullptr;
    double per_day_ = 0;
    std::uint64_t depth_ = 1;
    const Distribution* depth_per_session_ = nullptr;
    const Distribution* duration_ = nullptr;
    StreamKey key_;
    std::int64_t day_ = -1;  // the day whose sessions are being drawn
    RandomStream random_{StreamKey{}};
    RateSchedule::Walker walker_;
    Session next_;              // the first session not yet passed...
    double next_duration_ = 0;  // ...and how long it stays open
    double open_until_ = -std::numeric_limits<double>::infinity();
    Opened latest_;
};

}  // namespace reachsim
