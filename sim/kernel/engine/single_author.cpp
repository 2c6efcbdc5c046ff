#include "engine/single_author.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

#include <tbb/task_arena.h>

#include "activity/posting.hpp"
#include "activity/rate_schedule.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "random/random_stream.hpp"

namespace reachsim {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// A segment's processes in simulated time, built once per replicate.
struct SegmentProcesses {
    RateSchedule sessions;
    RateSchedule feed;
    FeedDepth feed_depth;
};

// One of the author's posts still within reach of this follower's scroll depth.
struct LivePost {
    std::uint32_t post = 0;
    std::int64_t items_above = 0;  // feed items that arrived after it
    bool seen = false;
};

std::int64_t draw_depth(const FeedDepth& depth, RandomStream& random) {
    if (depth.kind == FeedDepth::Kind::fixed) {
        return depth.fixed_items;
    }
    return std::min(random.geometric(depth.mean_items), depth.max_items);
}

double retweet_delay(const SingleAuthorRetweets& retweets, RandomStream& random) {
    const RetweetDelay& delay = retweets.delay;
    double seconds = delay.seconds;
    if (delay.kind == RetweetDelay::Kind::exponential) {
        seconds = delay.mean_seconds * random.standard_exponential();
    } else if (delay.kind == RetweetDelay::Kind::lognormal) {
        const double mu = std::log(delay.mean_seconds) - delay.sigma * delay.sigma / 2;
        seconds = std::exp(mu + delay.sigma * random.standard_normal());
    }
    return std::max(retweets.min_delay_seconds, seconds);
}

class FollowerSimulation {
  public:
    FollowerSimulation(const SegmentProcesses& processes, std::uint32_t segment,
                       std::size_t segment_count, ReplicateResult& result)
        : processes_(processes),
          segment_(segment),
          segment_count_(segment_count),
          result_(result) {}

    // Resolves every author post against this follower's sessions, recording views in the result.
    void run(std::size_t follower, RandomStream& random) {
        const auto& post_times = result_.post_times;
        const std::size_t post_count = post_times.size();
        const std::int64_t deepest = processes_.feed_depth.deepest();
        live_.clear();
        std::size_t next_post = 0;
        double now = 0;
        double next_session = infinity;
        while (true) {
            if (live_.empty()) {
                if (next_post == post_count) {
                    break;
                }
                // Nothing can be seen until the next post: jump to it. Sessions are Poisson, so
                // restarting their clock here is exact.
                now = post_times[next_post];
                live_.push_back({static_cast<std::uint32_t>(next_post), 0, false});
                ++next_post;
                next_session = processes_.sessions.next_event(now, random);
                continue;
            }
            const double post_at = next_post < post_count ? post_times[next_post] : infinity;
            const bool is_post = post_at <= next_session;
            const double event = is_post ? post_at : next_session;
            if (event == infinity) {
                break;  // no sessions ever again and no more posts
            }
            const std::int64_t arrivals =
                random.poisson(processes_.feed.expected_count(now, event)) + (is_post ? 1 : 0);
            now = event;
            for (auto& live : live_) {
                live.items_above += arrivals;
            }
            std::erase_if(live_,
                          [deepest](const LivePost& live) { return live.items_above >= deepest; });
            if (is_post) {
                live_.push_back({static_cast<std::uint32_t>(next_post), 0, false});
                ++next_post;
                continue;
            }
            const std::int64_t depth = draw_depth(processes_.feed_depth, random);
            for (auto& live : live_) {
                if (live.items_above < depth) {
                    view(follower, live, now);
                }
            }
            next_session = processes_.sessions.next_event(now, random);
        }
    }

  private:
    void view(std::size_t follower, LivePost& live, double now) {
        ++result_.post_impressions[live.post];
        ++result_.follower_impressions[follower];
        if (live.seen) {
            return;
        }
        live.seen = true;
        const double age = now - result_.post_times[live.post];
        ++result_.post_followers_reached[live.post];
        ++result_.post_reached_by_segment[live.post * segment_count_ + segment_];
        ++result_.follower_posts_seen[follower];
        double& first = result_.post_first_seen_delay[live.post];
        if (!(first <= age)) {  // NaN (unseen so far) or later than this view
            first = age;
        }
        result_.first_view_age.add(age);
        if (retweets_ != nullptr && decisions_->uniform_open01() < retweets_->probability) {
            const double delay = retweet_delay(*retweets_, *decisions_);
            pending_retweets_.push_back({live.post, now + delay, segment_});
        }
    }

    const SegmentProcesses& processes_;
    std::uint32_t segment_;
    std::size_t segment_count_;
    ReplicateResult& result_;
    std::vector<LivePost> live_;

  public:
    // A retweet decided by one of this segment's followers.
    struct Retweet {
        std::uint32_t post;
        double time;
        std::uint32_t segment;  // the retweeter's
    };
    void enable_retweets(const SingleAuthorRetweets* retweets) { retweets_ = retweets; }
    void set_decisions(RandomStream* decisions) { decisions_ = decisions; }
    std::vector<Retweet>& pending_retweets() { return pending_retweets_; }

  private:
    const SingleAuthorRetweets* retweets_ = nullptr;
    RandomStream* decisions_ = nullptr;
    std::vector<Retweet> pending_retweets_;
};

// Whether one follower of a retweeter, whose feed receives the retweet at `time`, sees it.
bool sees_item(const SegmentProcesses& processes, double time, RandomStream& random) {
    const std::int64_t deepest = processes.feed_depth.deepest();
    std::int64_t items_above = 0;
    double now = time;
    for (double session = processes.sessions.next_event(now, random); session != infinity;
         session = processes.sessions.next_event(now, random)) {
        items_above += random.poisson(processes.feed.expected_count(now, session));
        if (items_above >= deepest) {
            return false;
        }
        now = session;
        if (items_above < draw_depth(processes.feed_depth, random)) {
            return true;
        }
    }
    return false;
}

// Each retweet reaches its retweeter's followers, who share the retweeter's segment parameters.
void reach_retweet_audiences(const Model& model, const std::vector<SegmentProcesses>& processes,
                             const std::vector<FollowerSimulation::Retweet>& retweets,
                             std::uint64_t seed, std::uint32_t replicate, ReplicateResult& result) {
    std::uint32_t audience_member = 0;
    for (const auto& retweet : retweets) {
        ++result.post_retweets[retweet.post];
        for (std::int64_t i = 0; i < model.retweets->retweeter_followers; ++i) {
            RandomStream random({seed, replicate, StreamKind::retweet_audience, audience_member++});
            if (sees_item(processes[retweet.segment], retweet.time, random)) {
                ++result.post_reach_beyond_followers[retweet.post];
            }
        }
    }
}

}  // namespace

std::vector<std::uint32_t> follower_segments(const Model& model) {
    std::vector<std::uint32_t> segments;
    segments.reserve(static_cast<std::size_t>(model.follower_count()));
    for (std::size_t segment = 0; segment < model.segments.size(); ++segment) {
        segments.insert(segments.end(), static_cast<std::size_t>(model.segments[segment].count),
                        static_cast<std::uint32_t>(segment));
    }
    return segments;
}

ReplicateResult simulate_replicate(const Model& model, std::uint64_t seed,
                                   std::uint32_t replicate) {
    ReplicateResult result;
    RandomStream author_random({seed, replicate, StreamKind::author_posts, 0});
    result.post_times = author_post_times(model, author_random);

    const std::size_t posts = result.post_count();
    const std::size_t segment_count = model.segments.size();
    const auto followers = static_cast<std::size_t>(model.follower_count());
    result.post_followers_reached.assign(posts, 0);
    result.post_impressions.assign(posts, 0);
    result.post_first_seen_delay.assign(posts, std::numeric_limits<double>::quiet_NaN());
    result.post_reached_by_segment.assign(posts * segment_count, 0);
    result.follower_posts_seen.assign(followers, 0);
    result.follower_impressions.assign(followers, 0);

    result.post_retweets.assign(model.retweets ? posts : 0, 0);
    result.post_reach_beyond_followers.assign(model.retweets ? posts : 0, 0);
    std::vector<FollowerSimulation::Retweet> retweets;
    std::vector<SegmentProcesses> segment_processes;
    std::size_t follower = 0;
    for (std::size_t segment = 0; segment < segment_count; ++segment) {
        const Segment& parameters = model.segments[segment];
        const SegmentProcesses processes{
            RateSchedule(parameters.sessions, parameters.utc_offset_hours,
                         model.start_unix_seconds),
            RateSchedule(parameters.feed, parameters.utc_offset_hours, model.start_unix_seconds),
            parameters.feed_depth};
        FollowerSimulation simulation(processes, static_cast<std::uint32_t>(segment), segment_count,
                                      result);
        simulation.enable_retweets(model.retweets ? &*model.retweets : nullptr);
        for (std::int64_t i = 0; i < parameters.count; ++i, ++follower) {
            RandomStream random({seed, replicate, StreamKind::follower_activity,
                                 static_cast<std::uint32_t>(follower)});
            RandomStream decisions({seed, replicate, StreamKind::retweet_decisions,
                                    static_cast<std::uint32_t>(follower)});
            simulation.set_decisions(&decisions);
            simulation.run(follower, random);
        }
        retweets.insert(retweets.end(), simulation.pending_retweets().begin(),
                        simulation.pending_retweets().end());
        segment_processes.push_back(processes);
    }
    if (model.retweets) {
        reach_retweet_audiences(model, segment_processes, retweets, seed, replicate, result);
    }
    return result;
}

std::vector<ReplicateResult> simulate_single_author(const Model& model,
                                                    const EngineSettings& settings) {
    if (settings.replicates < 1) {
        throw internal_error("simulate_single_author: replicates must be >= 1");
    }
    std::vector<ReplicateResult> results(static_cast<std::size_t>(settings.replicates));
    const int threads = settings.threads > 0 ? static_cast<int>(settings.threads)
                                             : tbb::this_task_arena::max_concurrency();
    tbb::task_arena arena(threads);
    arena.execute([&] {
        parallel_for_each_index(0, results.size(), [&](std::size_t replicate) {
            results[replicate] =
                simulate_replicate(model, settings.seed, static_cast<std::uint32_t>(replicate));
        });
    });
    return results;
}

}  // namespace reachsim
