// What every scheduler does at the start of a replicate: draw all accounts' post times (from
// streams keyed by author), size the record and list the tracked posts; and each account's feed
// parameters.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/feed.hpp"
#include "engine/outside_feed.hpp"
#include "engine/record.hpp"
#include "engine/world.hpp"
#include "model/model.hpp"

namespace reachsim {

// Every account's posts, as rows of a CSR by author, ascending in time.
struct PostTimes {
    std::vector<std::uint64_t> offsets;
    std::vector<double> times;
};

// Posts in [0, end) of every account that posts.
PostTimes draw_post_times(const Model& model, const World& world, double end, std::uint64_t seed,
                          std::uint32_t replicate);

// When accounts stop posting: at the horizon, or at the end of the duration when the follow-up is
// unlimited.
double posting_end(const Model& model);

// The feed of `account`: its session and background rhythms, rates and scroll depth.
FeedParameters feed_parameters(const Model& model, const Accounts& accounts, AccountIndex account);
FeedStreams feed_streams(std::uint64_t seed, std::uint32_t replicate, AccountIndex account);
// What `account` sees outside its feed: any() is false for an account never notified and never
// visiting profiles (a star's author, and every account by default).
OutsideFeedParameters outside_feed_parameters(const Model& model, const Accounts& accounts,
                                              AccountIndex account);
// What `account` notices and whom it may unfollow: null when its attention never fades.
const Attention* attention_of(const Model& model, const Accounts& accounts, AccountIndex account);
StreamKey attention_stream(std::uint64_t seed, std::uint32_t replicate, AccountIndex account);

// A record for `replicate` sized for `world`: a row per tracked author's recorded post (in
// (author, time) order), per-follower rows, and per-account arrays for graphs. Returns each
// tracked author's first row.
std::vector<std::uint64_t> prepare_record(ReplicateRecord& record, const Model& model,
                                          const World& world, const PostTimes& posts,
                                          std::uint32_t replicate);

}  // namespace reachsim
