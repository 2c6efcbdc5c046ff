// The world of a graph scenario, fully validated: where the follower graph comes from, the
// account segments with their distributions of activity, and what to track. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/model.hpp"

namespace reachsim {

// A per-account quantity: fixed, lognormal (given its mean and the sigma of its logarithm), or
// drawn uniformly from an empirical list of values.
struct Distribution {
    enum class Kind { fixed, lognormal, empirical };
    Kind kind = Kind::fixed;
    double value = 0;            // fixed
    double mean = 0;             // lognormal
    double sigma = 0;            // lognormal
    std::vector<double> values;  // empirical

    [[nodiscard]] double expected() const;
    bool operator==(const Distribution&) const = default;
};

// Graph sources.
struct GraphFile {
    std::string path;        // resolved relative to the scenario file
    std::string direction;   // "follower_followee", "followee_follower" or "mutual"
    std::string attributes;  // optional per-account CSV, "" if none
    bool operator==(const GraphFile&) const = default;
};

// Followers per account heavy-tailed (power law with this exponent, mean = mean_following);
// following per account lognormal. Followees are drawn in proportion to follower weights.
struct PowerLawGenerator {
    std::uint64_t accounts = 0;
    double mean_following = 0;
    double following_sigma = 1.0;
    double followers_exponent = 2.2;
    bool operator==(const PowerLawGenerator&) const = default;
};

// Directed preferential attachment (Price): each new account follows `following_per_account`
// earlier ones, chosen in proportion to (followers + attachment_offset).
struct PriceGenerator {
    std::uint64_t accounts = 0;
    std::uint32_t following_per_account = 0;
    double attachment_offset = 1.0;
    bool operator==(const PriceGenerator&) const = default;
};

// Every account follows each other one independently with the same probability.
struct ErdosRenyiGenerator {
    std::uint64_t accounts = 0;
    double mean_following = 0;
    bool operator==(const ErdosRenyiGenerator&) const = default;
};

using GraphSource = std::variant<GraphFile, PowerLawGenerator, PriceGenerator, ErdosRenyiGenerator>;

struct GraphSpec {
    GraphSource source;
    double reciprocity = 0;           // generators: share of follows returned
    std::optional<double> homophily;  // generators: chance a follow stays in the follower's segment
    bool operator==(const GraphSpec&) const = default;
};

// A group of accounts sharing distributions and rhythms (shapes only: each account's own rate
// scales its segment's rhythm).
struct AccountSegment {
    std::string name;
    std::int64_t count = 0;  // resolved; for file graphs without a segment column
    double share = -1;       // as written (-1: a count was given)
    double utc_offset_hours = 0;
    Distribution posts_per_day;
    Rhythm posting;  // profile and days; events_per_active_day = 1
    Distribution sessions_per_day;
    Rhythm sessions;                   // profile and days; events_per_active_day = 1
    Distribution feed_depth;           // items per session, per account (rounded, at least 1)
    Distribution retweet_probability;  // chance of retweeting a post on first seeing it (x appeal)
    double extra_feed_per_hour = 0;    // background from followees outside the graph
    Rhythm extra_feed;                 // profile and days; events_per_active_day = 1
    bool operator==(const AccountSegment&) const = default;
};

// Retweet cascades: seen posts are retweeted into the retweeter's followers' feeds.
struct RetweetModel {
    Distribution appeal;  // per post; multiplies each account's retweet probability
    RetweetDelay delay;
    double min_delay_seconds = 1.0;  // also the engine's window: retweets land in a later window
    bool operator==(const RetweetModel&) const = default;
};

// Which authors get full per-post records: account ids, or selectors "top_followers:N",
// "random:N", "followers_percentile:P".
struct TrackSpec {
    std::vector<std::string> authors;
    bool all_accounts = true;
    bool operator==(const TrackSpec&) const = default;
};

// Per-account values given by an attribute file; empty where the segment's distribution applies.
struct AccountAttributes {
    std::vector<std::optional<std::string>> segment;
    std::vector<std::optional<double>> utc_offset_hours;
    std::vector<std::optional<double>> posts_per_day;
    std::vector<std::optional<double>> sessions_per_day;
    std::vector<std::optional<double>> feed_depth;
    std::vector<std::optional<double>> retweet_probability;
};

struct GraphModel {
    std::int64_t start_unix_seconds = 0;
    double duration_seconds = 0;   // posts made in [0, duration) are recorded
    double follow_up_seconds = 0;  // and followed for this long after the end
    GraphSpec graph;
    std::vector<AccountSegment> segments;
    TrackSpec track;
    std::optional<RetweetModel> retweets;  // none: no cascades
    bool operator==(const GraphModel&) const = default;
};

}  // namespace reachsim
