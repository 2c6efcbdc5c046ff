// The world a scenario describes, fully validated: who posts when, who follows, how feeds fill
// and how followers look. Plain data, no TOML and no HDF5; the engine simulates exactly this.
// Run settings (seed, replicates, threads, output path) live apart, in RunSettings.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/time.hpp"

namespace reachsim {

// 24 non-negative weights, one per local hour, normalised to mean 1.
struct DailyProfile {
    std::string name;  // a name from [profiles], "flat", or "inline"
    std::array<double, hours_per_day> weights{};

    bool operator==(const DailyProfile&) const = default;
};

// A rate that follows a daily profile on active local weekdays: intensity
// events_per_active_day / 86400 s * weights[local hour] on active days, 0 on the others.
struct Rhythm {
    double events_per_active_day = 0;
    DailyProfile profile;
    WeekdaySet days{};

    bool operator==(const Rhythm&) const = default;
};

struct PoissonPosting {
    Rhythm rhythm;

    bool operator==(const PoissonPosting&) const = default;
};

// Posts at fixed local clock times on active days, each shifted by a uniform draw in
// [-jitter, +jitter].
struct SchedulePosting {
    std::vector<double> local_times_seconds;  // seconds after local midnight, ascending
    WeekdaySet days{};
    double jitter_seconds = 0;

    bool operator==(const SchedulePosting&) const = default;
};

using Posting = std::variant<PoissonPosting, SchedulePosting>;

struct Author {
    std::string name;
    double utc_offset_hours = 0;
    Posting posting;

    bool operator==(const Author&) const = default;
};

// How many of the newest feed items one viewing session shows.
struct FeedDepth {
    enum class Kind { fixed, geometric };
    Kind kind = Kind::fixed;
    std::int64_t fixed_items = 200;  // Kind::fixed
    double mean_items = 200;         // Kind::geometric: geometric on {1, 2, ...} with this mean...
    std::int64_t max_items = 2000;   // ...capped at this depth

    // The deepest any session can reach: a post below it is never seen again.
    [[nodiscard]] std::int64_t deepest() const {
        return kind == Kind::fixed ? fixed_items : max_items;
    }

    bool operator==(const FeedDepth&) const = default;
};

// A group of followers sharing parameters.
struct Segment {
    std::string name;
    std::int64_t count = 0;
    double utc_offset_hours = 0;
    Rhythm sessions;  // viewing sessions per active day
    Rhythm feed;      // background items arriving in each follower's feed
    double feed_per_hour =
        0;  // the same rate as the user wrote it (mean per hour of an active day)
    FeedDepth feed_depth;

    bool operator==(const Segment&) const = default;
};

// How long after first seeing a post an account retweets it: max(minimum, X), X fixed,
// exponential or lognormal.
struct RetweetDelay {
    enum class Kind { fixed, exponential, lognormal };
    Kind kind = Kind::exponential;
    double seconds = 0;          // fixed
    double mean_seconds = 1800;  // exponential, lognormal
    double sigma = 1.0;          // lognormal: sd of the logarithm
    bool operator==(const RetweetDelay&) const = default;
};

// Retweets in a single-author scenario: a follower who sees a post for the first time retweets
// it with `probability`; the retweet reaches `retweeter_followers` accounts outside the author's
// audience, who share the retweeter's segment parameters and see it like any feed item. They do
// not retweet further.
struct SingleAuthorRetweets {
    double probability = 0;
    std::int64_t retweeter_followers = 0;
    RetweetDelay delay;
    double min_delay_seconds = 1.0;
    bool operator==(const SingleAuthorRetweets&) const = default;
};

struct Model {
    std::int64_t start_unix_seconds = 0;  // simulated time 0
    double duration_seconds = 0;          // posts are made in [0, duration)
    Author author;
    std::vector<Segment> segments;
    std::optional<SingleAuthorRetweets> retweets;

    [[nodiscard]] std::int64_t follower_count() const {
        std::int64_t total = 0;
        for (const auto& segment : segments) {
            total += segment.count;
        }
        return total;
    }

    bool operator==(const Model&) const = default;
};

struct RunSettings {
    std::uint64_t seed = 1;
    std::int64_t replicates = 20;
    std::int64_t threads = 0;  // 0: all cores
    std::string output_path;

    bool operator==(const RunSettings&) const = default;
};

}  // namespace reachsim
