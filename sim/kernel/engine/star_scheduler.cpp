// The star scheduler: one author's followers (accounts 1..N), each resolving its own feed — the
// author's posts among the background — with engine/feed.hpp, one follower after another; no graph
// is needed, and cost follows the moments that matter, not background volume. With retweets, each
// retweet reaches the retweeter's own followers outside the run, who see it like any feed item
// (with the retweeter's parameters) and do not retweet it further.
#include <algorithm>
#include <limits>
#include <optional>
#include <span>
#include <tuple>

#include "engine/attention.hpp"
#include "engine/feed.hpp"
#include "engine/outside_feed.hpp"
#include "engine/replicate_setup.hpp"
#include "engine/simulate.hpp"
#include "engine/tracked_recorder.hpp"
#include "random/draw.hpp"

namespace reachsim {
namespace {

constexpr AccountIndex author = 0;

// By which channel one follower of a retweeter, whose feed receives the retweet as its only item
// of interest, first sees it, if ever.
std::optional<Channel> audience_member_sees(Feed& feed, const FeedParameters& parameters,
                                            const FeedStreams& streams, const FeedItem& retweet) {
    feed.restart(parameters, streams);
    std::optional<Channel> seen;
    auto on_view = [&](FeedEntry&, double, bool first, Channel channel) {
        if (first) {
            seen = channel;
        }
    };
    auto on_settle = [](const FeedEntry&) {};
    feed.arrive(retweet, on_view, on_settle);
    feed.run_sessions_before(std::numeric_limits<double>::infinity(), on_view, on_settle);
    feed.finish(on_settle);
    return seen;
}

}  // namespace

ReplicateRecord simulate_star(const Model& model, const World& world, std::uint64_t seed,
                              std::uint32_t replicate) {
    const PostTimes posts = draw_post_times(model, world, posting_end(model), seed, replicate);
    ReplicateRecord record;
    const auto first_row = prepare_record(record, model, world, posts, replicate);
    const TrackedRecorder tracked(world, posts.offsets, first_row, model.segments.size(), record);
    std::vector<FeedItem> items;
    std::vector<double> appeal;
    for (std::uint64_t post = posts.offsets[author]; post < posts.offsets[author + 1]; ++post) {
        const double time = posts.times[post];
        items.push_back(
            {time, static_cast<std::uint32_t>(post), author, 0, time < model.duration_seconds});
        if (model.retweets) {
            RandomStream random(
                {seed, replicate, StreamKind::post_appeal, static_cast<std::uint32_t>(post)});
            appeal.push_back(draw(model.retweets->appeal, random));
        }
    }

    Feed feed;
    const std::uint64_t first_post = posts.offsets[author];
    const std::span<const double> author_times(posts.times.data() + first_post, items.size());
    std::vector<OutsideView> outside;
    std::vector<char> seen;  // by the author's post: has the follower seen it, by any channel?
    AttentionState attention;
    const auto& followers = world.tracked_followers[0];
    for (std::size_t position = 0; position < followers.size(); ++position) {
        const AccountIndex follower = followers[position];
        feed.restart(feed_parameters(model, world.accounts, follower),
                     feed_streams(seed, replicate, follower));
        outside.clear();
        append_outside_views(outside_feed_parameters(model, world.accounts, follower), seed,
                             replicate, follower, author, author_times,
                             static_cast<std::uint32_t>(first_post), outside);
        sort_by_time(outside);
        seen.assign(items.size(), 0);
        attention.begin(attention_of(model, world.accounts, follower),
                        attention_stream(seed, replicate, follower));
        RandomStream decisions({seed, replicate, StreamKind::retweet_decisions, follower});
        const double retweet_probability = world.accounts.retweet_probability[follower];
        auto view = [&](std::uint32_t post, double now, Channel channel) {
            if (!attention.notices(author, now, channel)) {
                return;
            }
            const bool first = seen[post - first_post] == 0;
            seen[post - first_post] = 1;
            if (first && attention.first_seen(author, now)) {
                tracked.unfollow(author);
            }
            if (!items[post - first_post].recorded) {
                return;
            }
            const auto row = static_cast<std::size_t>(tracked.row(post, author));
            tracked.record_view<TrackedRecorder::Sharing::exclusive>(
                row, 0, position, follower, now, first, channel, record.first_view_age);
            if (!first || !model.retweets) {
                return;
            }
            const double probability = retweet_probability * appeal[post - first_post];
            if (!(probability > 0) || !(decisions.uniform_open01() < probability)) {
                return;
            }
            const double delay =
                std::max(model.retweets->min_delay_seconds, draw(model.retweets->delay, decisions));
            ++record.posts[row].retweets;
            record.posts[row].deepest_generation = 1;
            record.cascade_rows.push_back(
                {static_cast<std::uint32_t>(row), follower, author, now + delay, 1});
        };
        auto on_view = [&](FeedEntry& entry, double now, bool, Channel channel) {
            view(entry.post, now, channel);
        };
        auto on_settle = [](const FeedEntry&) {};
        auto on_outside = [&](const OutsideView& outside_view) {
            view(outside_view.post, outside_view.time, outside_view.channel);
        };
        std::size_t next_outside = 0;
        for (const FeedItem& item : items) {
            run_sessions_and_outside_views_before(item.time, feed, outside, next_outside, on_view,
                                                  on_settle, on_outside);
            if (attention.has_unfollowed(author)) {
                break;  // the author's posts reach this follower no more
            }
            feed.arrive(item, on_view, on_settle);
            ++record.deliveries;
        }
        run_sessions_and_outside_views_before(std::numeric_limits<double>::infinity(), feed,
                                              outside, next_outside, on_view, on_settle,
                                              on_outside);
        // Decided: seen, or never to be seen once the follower has unfollowed.
        record.unresolved_pairs += feed.finish(on_settle, [&](const FeedEntry& entry) {
            return seen[entry.post - first_post] != 0 || attention.has_unfollowed(author);
        });
    }

    std::sort(record.cascade_rows.begin(), record.cascade_rows.end(),
              [](const CascadeRow& a, const CascadeRow& b) {
                  return std::tie(a.post, a.time, a.retweeter) <
                         std::tie(b.post, b.time, b.retweeter);
              });
    for (auto& post : record.posts) {
        post.reach = post.followers_reached;
    }
    if (model.retweets) {
        std::uint32_t audience_member = 0;
        for (const CascadeRow& retweet : record.cascade_rows) {
            const FeedParameters parameters =
                feed_parameters(model, world.accounts, retweet.retweeter);
            const FeedItem item{retweet.time, 0, retweet.retweeter, 1, true};
            for (std::int64_t i = 0; i < model.retweets->followers_per_retweeter; ++i) {
                const FeedStreams streams{
                    {seed, replicate, StreamKind::retweet_audience, audience_member},
                    {seed, replicate, StreamKind::audience_sessions, audience_member}};
                ++audience_member;
                if (retweet.time >= model.horizon_seconds()) {
                    continue;
                }
                if (const auto channel = audience_member_sees(feed, parameters, streams, item)) {
                    PostRecord& post = record.posts[retweet.post];
                    ++post.reach;
                    if (*channel != Channel::feed) {  // the feed's share is derived
                        ++post.reach_by_channel[static_cast<std::size_t>(*channel)];
                    }
                }
            }
        }
    }
    return record;
}

}  // namespace reachsim
