// The star scheduler: one author's followers (accounts 1..N), each resolving its own feed — the
// author's posts among the background — with engine/feed.hpp, one follower after another; no graph
// is needed, and cost follows the moments that matter, not background volume. With retweets, each
// retweet reaches the retweeter's own followers outside the run, who see it like any feed item
// (with the retweeter's parameters) and do not retweet it further.
#include <algorithm>
#include <limits>
#include <tuple>

#include "engine/feed.hpp"
#include "engine/replicate_setup.hpp"
#include "engine/simulate.hpp"
#include "engine/tracked_recorder.hpp"
#include "random/draw.hpp"

namespace reachsim {
namespace {

constexpr AccountIndex author = 0;

// Whether one follower of a retweeter, whose feed receives the retweet as its only item of
// interest, ever sees it.
bool audience_member_sees(Feed& feed, const FeedParameters& parameters, const FeedStreams& streams,
                          const FeedItem& retweet) {
    feed.restart(parameters, streams);
    bool seen = false;
    auto on_view = [&](FeedEntry&, double, bool) { seen = true; };
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
    const auto& followers = world.tracked_followers[0];
    for (std::size_t position = 0; position < followers.size(); ++position) {
        const AccountIndex follower = followers[position];
        feed.restart(feed_parameters(model, world.accounts, follower),
                     feed_streams(seed, replicate, follower));
        RandomStream decisions({seed, replicate, StreamKind::retweet_decisions, follower});
        const double retweet_probability = world.accounts.retweet_probability[follower];
        auto on_view = [&](FeedEntry& entry, double now, bool first) {
            if (!entry.recorded) {
                return;
            }
            const auto row = static_cast<std::size_t>(tracked.row(entry.post, author));
            tracked.record_view<TrackedRecorder::Sharing::exclusive>(
                row, 0, position, follower, now, first, record.first_view_age);
            if (!first || !model.retweets) {
                return;
            }
            const double probability = retweet_probability * appeal[entry.post];
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
        auto on_settle = [](const FeedEntry&) {};
        for (const FeedItem& item : items) {
            feed.run_sessions_before(item.time, on_view, on_settle);
            feed.arrive(item, on_view, on_settle);
        }
        feed.run_sessions_before(std::numeric_limits<double>::infinity(), on_view, on_settle);
        record.unresolved_pairs += feed.finish(on_settle);
        record.deliveries += items.size();
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
                if (retweet.time < model.horizon_seconds() &&
                    audience_member_sees(feed, parameters, streams, item)) {
                    ++record.posts[retweet.post].reach;
                }
            }
        }
    }
    return record;
}

}  // namespace reachsim
