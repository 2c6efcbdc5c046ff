// The scenario schema: which keys each table may hold. The reader accepts exactly these (and
// suggests the closest for anything else); scenario_keys() lists them all for docs/scenarios.md,
// which a test checks documents every one.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/table_reader.hpp"

namespace reachsim::detail {

inline const KeyList star_top_keys{"simulation", "author", "followers", "retweets",
                                   "profiles",   "output", "sweep"};
inline const KeyList graph_top_keys{"simulation", "graph",    "accounts", "track",
                                    "retweets",   "profiles", "output",   "sweep"};
inline const KeyList sweep_range_keys{"from", "to", "steps", "scale"};
inline const KeyList simulation_keys{"start", "duration", "follow_up", "seed", "replicates"};
inline const KeyList author_keys{"name", "utc_offset", "posting"};
inline const KeyList posting_keys{"kind", "per_day", "profile", "days", "times", "jitter"};
inline const KeyList sessions_keys{"per_day", "profile", "days", "duration", "item_budget"};
inline const KeyList background_keys{"per_hour", "profile", "days"};
// The background table's name, then its older names (still read: "feed" in [followers],
// "extra_feed" in [accounts]).
inline constexpr std::array<std::string_view, 3> background_aliases{"background", "feed",
                                                                    "extra_feed"};
inline const KeyList notifications_keys{"share", "delay"};
inline const KeyList profile_visits_keys{"per_day", "depth", "after_retweet"};
inline const KeyList attention_keys{"same_author", "unfollow"};
inline const KeyList unfollow_keys{"after_posts", "window", "probability"};
inline const KeyList followers_keys{"count",          "utc_offset",          "sessions",
                                    "feed_depth",     "background",          "feed",
                                    "extra_feed",     "retweet_probability", "notifications",
                                    "profile_visits", "attention",           "segment"};
inline const KeyList follower_segment_keys{
    "name",          "count",          "share",    "utc_offset", "sessions",
    "feed_depth",    "background",     "feed",     "extra_feed", "retweet_probability",
    "notifications", "profile_visits", "attention"};
inline const KeyList accounts_keys{
    "utc_offset",    "posting",        "sessions",   "feed_depth",
    "background",    "feed",           "extra_feed", "retweet_probability",
    "notifications", "profile_visits", "attention",  "segment"};
inline const KeyList account_segment_keys{"name",
                                          "count",
                                          "share",
                                          "utc_offset",
                                          "posting",
                                          "sessions",
                                          "feed_depth",
                                          "background",
                                          "feed",
                                          "extra_feed",
                                          "retweet_probability",
                                          "notifications",
                                          "profile_visits",
                                          "attention"};
inline const KeyList graph_keys{"source",
                                "path",
                                "direction",
                                "attributes",
                                "accounts",
                                "mean_following",
                                "following_sigma",
                                "followers_exponent",
                                "following_per_account",
                                "attachment_offset",
                                "reciprocity",
                                "homophily"};
// Which graph keys apply to which source.
struct SourceKeys {
    std::string_view source;
    KeyList keys;
};
inline const std::vector<SourceKeys> source_keys{
    {"file", {"path", "direction", "attributes"}},
    {"power_law",
     {"accounts", "mean_following", "following_sigma", "followers_exponent", "reciprocity",
      "homophily"}},
    {"price", {"accounts", "following_per_account", "attachment_offset", "reciprocity"}},
    {"erdos_renyi", {"accounts", "mean_following", "reciprocity", "homophily"}},
};
inline const KeyList track_keys{"authors", "all_accounts"};
inline const KeyList retweets_keys{"probability", "appeal", "delay", "min_delay", "followers"};
inline const KeyList output_keys{"path"};
// Keys of a distribution table (distribution_reader.cpp).
extern const KeyList distribution_keys;

// Every key, as dotted paths ("accounts.segment.sessions.per_day"). The keys of a distribution
// table (distribution_keys) are the same wherever a distribution is given, and listed once.
inline std::vector<std::string> schema_keys() {
    std::vector<std::string> keys;
    auto add = [&](const std::string& prefix, const KeyList& list) {
        append_keys(keys, prefix, list);
    };
    add("simulation.", simulation_keys);
    add("author.", author_keys);
    add("author.posting.", posting_keys);
    for (const std::string prefix :
         {"followers.", "followers.segment.", "accounts.", "accounts.segment."}) {
        const bool star = prefix.starts_with("followers");
        const bool segment = prefix.ends_with("segment.");
        add(prefix, star ? (segment ? follower_segment_keys : followers_keys)
                         : (segment ? account_segment_keys : accounts_keys));
        if (!star) {
            add(prefix + "posting.", posting_keys);
        }
        add(prefix + "sessions.", sessions_keys);
        add(prefix + "notifications.", notifications_keys);
        add(prefix + "profile_visits.", profile_visits_keys);
        add(prefix + "attention.", attention_keys);
        add(prefix + "attention.unfollow.", unfollow_keys);
        for (auto background : background_aliases) {
            add(prefix + std::string(background) + ".", background_keys);
        }
    }
    add("graph.", graph_keys);
    add("track.", track_keys);
    add("retweets.", retweets_keys);
    add("output.", output_keys);
    return keys;
}

}  // namespace reachsim::detail
