#include "engine/replicate_setup.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "activity/posting.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"

namespace reachsim {

double posting_end(const Model& model) {
    return std::isfinite(model.follow_up_seconds) ? model.horizon_seconds()
                                                  : model.duration_seconds;
}

PostTimes draw_post_times(const Model& model, const World& world, double end, std::uint64_t seed,
                          std::uint32_t replicate) {
    const Accounts& accounts = world.accounts;
    const std::size_t count = accounts.size();
    auto for_each_post_of = [&](std::size_t a, auto&& emit) {
        const ActivityShapes& shapes = accounts.shapes_of(a);
        RandomStream random(
            {seed, replicate, StreamKind::author_posts, static_cast<std::uint32_t>(a)});
        for_each_post(*shapes.posting, shapes.posting_rhythm, accounts.posts_per_day[a],
                      shapes.utc_offset_hours, model.start_unix_seconds, end, random, emit);
    };
    // Drawn once, into blocks of accounts (fixed, whatever the thread count), then copied into
    // place once the counts are summed: drawing every account's posts twice, to count and then to
    // fill, was 15% of the engine's instructions on the Twitter-2010 scenario.
    constexpr std::size_t accounts_per_block = 4096;
    std::vector<std::vector<double>> blocks((count + accounts_per_block - 1) / accounts_per_block);
    PostTimes posts;
    posts.offsets.assign(count + 1, 0);
    parallel_for_each_index(0, blocks.size(), [&](std::size_t block) {
        const std::size_t last = std::min(count, (block + 1) * accounts_per_block);
        for (std::size_t a = block * accounts_per_block; a < last; ++a) {
            const std::size_t before = blocks[block].size();
            for_each_post_of(a, [&](double t) { blocks[block].push_back(t); });
            posts.offsets[a + 1] = blocks[block].size() - before;
        }
    });
    for (std::size_t a = 0; a < count; ++a) {
        posts.offsets[a + 1] += posts.offsets[a];
    }
    if (posts.offsets.back() > std::numeric_limits<std::uint32_t>::max()) {
        throw input_error(
            "more than 2^32 posts in one replicate: shorten simulation.duration or follow_up");
    }
    posts.times.resize(posts.offsets.back());
    parallel_for_each_index(0, blocks.size(), [&](std::size_t block) {
        std::copy(blocks[block].begin(), blocks[block].end(),
                  posts.times.begin() +
                      static_cast<std::ptrdiff_t>(posts.offsets[block * accounts_per_block]));
        std::vector<double>().swap(blocks[block]);
    });
    return posts;
}

FeedParameters feed_parameters(const Model& model, const Accounts& accounts, AccountIndex account) {
    const ActivityShapes& shapes = accounts.shapes_of(account);
    const SegmentIndex segment = accounts.segment[account];
    const Distribution* depth_per_session = nullptr;
    if (segment != no_segment &&
        model.segments[segment].feed_depth.per == Distribution::Per::event) {
        depth_per_session = &model.segments[segment].feed_depth;
    }
    // Sessions that stay open; none (null) keeps glances exactly as they were.
    const Distribution* session_duration = nullptr;
    if (segment != no_segment &&
        model.segments[segment].session_duration != Distribution::fixed_at(0.0)) {
        session_duration = &model.segments[segment].session_duration;
    }
    return {&shapes.sessions, accounts.sessions_per_day[account], &shapes.background,
            segment == no_segment ? 0.0 : accounts.background_per_day[segment],
            accounts.feed_depth[account], depth_per_session, model.horizon_seconds(),
            session_duration,
            // A budget limits what sessions that last show live; glances have nothing to limit.
            session_duration != nullptr ? model.segments[segment].session_item_budget : 0};
}

OutsideFeedParameters outside_feed_parameters(const Model& model, const Accounts& accounts,
                                              AccountIndex account) {
    OutsideFeedParameters parameters;
    const SegmentIndex segment = accounts.segment[account];
    if (segment == no_segment) {
        return parameters;
    }
    const AccountSegment& settings = model.segments[segment];
    parameters.notification_share = accounts.notification_share.empty()
                                        ? settings.notifications.share
                                        : accounts.notification_share[account];
    if (parameters.notification_share > 0) {
        parameters.notifications = &settings.notifications;
    }
    if (settings.profile_visits.per_day > 0) {
        parameters.profile_visits = &settings.profile_visits;
    }
    parameters.rhythm = &accounts.shapes_of(account).sessions;
    parameters.horizon = model.horizon_seconds();
    return parameters;
}

const Attention* attention_of(const Model& model, const Accounts& accounts, AccountIndex account) {
    const SegmentIndex segment = accounts.segment[account];
    if (segment == no_segment || !model.segments[segment].attention.any()) {
        return nullptr;
    }
    return &model.segments[segment].attention;
}

StreamKey attention_stream(std::uint64_t seed, std::uint32_t replicate, AccountIndex account) {
    return {seed, replicate, StreamKind::attention, account};
}

FeedStreams feed_streams(std::uint64_t seed, std::uint32_t replicate, AccountIndex account) {
    return {{seed, replicate, StreamKind::follower_activity, account},
            {seed, replicate, StreamKind::session_times, account}};
}

std::vector<std::uint64_t> prepare_record(ReplicateRecord& record, const Model& model,
                                          const World& world, const PostTimes& posts,
                                          std::uint32_t replicate) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double recorded_until = model.duration_seconds;
    record.replicate = replicate;
    std::vector<std::uint64_t> first_row;
    for (const AccountIndex author : world.tracked_authors) {
        first_row.push_back(record.posts.size());
        for (std::uint64_t post = posts.offsets[author]; post < posts.offsets[author + 1]; ++post) {
            if (posts.times[post] < recorded_until) {
                record.posts.push_back(
                    {author, posts.times[post], 0, 0, nan, 0, 0, 0, nan, nan, {}, {}});
            }
        }
    }
    record.reached_by_segment.assign(record.posts.size() * model.segments.size(), 0);
    const RunCalendar calendar = run_calendar(model, world);
    for (const auto& post : record.posts) {
        record.post_day.push_back(static_cast<std::uint32_t>(calendar.day_of(post.post_time)));
    }
    record.day_words = (static_cast<std::size_t>(calendar.days()) + 63) / 64;
    record.unfollows_by_tracked_author.assign(world.tracked_authors.size(), 0);
    const std::size_t tracked = world.tracked_followers.size();
    record.follower_posts_seen.resize(tracked);
    record.follower_impressions.resize(tracked);
    record.follower_days_reached.resize(tracked);
    for (std::size_t k = 0; k < tracked; ++k) {
        const std::size_t followers = world.tracked_followers[k].size();
        record.follower_posts_seen[k].assign(followers, 0);
        record.follower_impressions[k].assign(followers, 0);
        record.follower_days_reached[k].assign(followers * record.day_words, 0);
    }
    if (model.is_star()) {
        return first_row;
    }
    const std::size_t accounts = world.accounts.size();
    record.account_posts.assign(accounts, 0);
    record.account_followers_reached.assign(accounts, 0);
    record.account_impressions.assign(accounts, 0);
    if (model.has_attention()) {
        record.account_unfollows.assign(accounts, 0);
    }
    if (model.retweets) {
        record.account_reach.assign(accounts, 0);
        record.account_retweets.assign(accounts, 0);
    }
    parallel_for_each_index(0, accounts, [&](std::size_t a) {
        std::uint64_t recorded = 0;
        for (std::uint64_t post = posts.offsets[a]; post < posts.offsets[a + 1]; ++post) {
            recorded += posts.times[post] < recorded_until ? 1 : 0;
        }
        record.account_posts[a] = recorded;
    });
    return first_row;
}

}  // namespace reachsim
