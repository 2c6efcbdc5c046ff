#include "engine/graph_activity.hpp"

#include <limits>

#include "core/errors.hpp"
#include "core/parallel.hpp"

namespace reachsim {

PostTimes draw_post_times(const GraphWorld& world, double end, std::uint64_t seed,
                          std::uint32_t replicate) {
    const Accounts& accounts = world.accounts;
    const std::size_t count = accounts.size();
    auto for_each_post = [&](std::size_t a, auto&& emit) {
        const double rate = accounts.posts_per_day[a];
        if (rate <= 0) {
            return;
        }
        const RateSchedule& shape = accounts.shape_table[accounts.shapes[a]].posting;
        RandomStream random(
            {seed, replicate, StreamKind::author_posts, static_cast<std::uint32_t>(a)});
        for (double t = shape.time_after(0, random.standard_exponential() / rate); t < end;
             t = shape.time_after(t, random.standard_exponential() / rate)) {
            emit(t);
        }
    };
    PostTimes posts;
    posts.offsets.assign(count + 1, 0);
    parallel_for_each_index(0, count, [&](std::size_t a) {
        std::uint64_t n = 0;
        for_each_post(a, [&n](double) { ++n; });
        posts.offsets[a + 1] = n;
    });
    for (std::size_t a = 0; a < count; ++a) {
        posts.offsets[a + 1] += posts.offsets[a];
    }
    if (posts.offsets.back() > std::numeric_limits<std::uint32_t>::max()) {
        throw input_error(
            "more than 2^32 posts in one replicate: shorten simulation.duration or follow_up");
    }
    posts.times.resize(posts.offsets.back());
    parallel_for_each_index(0, count, [&](std::size_t a) {
        std::uint64_t next = posts.offsets[a];
        for_each_post(a, [&](double t) { posts.times[next++] = t; });
    });
    return posts;
}

FeedParameters feed_parameters(const GraphModel& model, const Accounts& accounts,
                               AccountIndex account) {
    const ActivityShapes& shapes = accounts.shape_table[accounts.shapes[account]];
    return {&shapes.sessions,
            accounts.sessions_per_day[account],
            &shapes.extra_feed,
            accounts.extra_feed_per_day[accounts.segment[account]],
            accounts.feed_depth[account],
            model.duration_seconds + model.follow_up_seconds};
}

}  // namespace reachsim
