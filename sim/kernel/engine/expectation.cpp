#include "engine/expectation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <tuple>

#include "activity/posting.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "engine/replicate_setup.hpp"

namespace reachsim {
namespace {

// Gauss-Legendre nodes and weights on [-1, 1]: a post spread over a piece is integrated with
// them (the seen probability is smooth within a piece).
constexpr std::array<double, 8> gauss_nodes{
    -0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
    0.1834346424956498,  0.5255324099163290,  0.7966664774136267,  0.9602898564975363};
constexpr std::array<double, 8> gauss_weights{
    0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620,
    0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};

// Poisson(mean) probabilities of 0, 1, ... up to where the rest is negligible (< 1e-17).
void poisson_probabilities(double mean, std::vector<double>& p) {
    const auto last = static_cast<std::size_t>(std::ceil(mean + 9 * std::sqrt(mean) + 25));
    p.assign(last + 1, 0.0);
    if (mean <= 0) {
        p[0] = 1;
        return;
    }
    const double log_mean = std::log(mean);
    for (std::size_t k = 0; k <= last; ++k) {
        p[k] = std::exp(static_cast<double>(k) * log_mean - mean -
                        std::lgamma(static_cast<double>(k) + 1));
    }
}

// The chain of a post at depth n = 0..D-1 (arrivals since it; D the deepest any session shows)
// at one moment, looking forward: unseen[n], the chance that no session shows it from then on,
// and impressions[n], the showings to come. A session shows depth n with probability shown[n];
// sunk (n >= D), nothing shows it again. Over a stretch with constant rates λ (arrivals) and μ
// (sessions) the chain is solved by uniformization: events at rate q = λ + μ, each an arrival
// (λ/q) or a session (μ/q), and the stretch is Σ_k Poisson(k; qh) (one event)^k.
// What lies ahead of a post: the chance that it goes unseen, and its expected impressions.
struct Outlook {
    double unseen = 1;
    double impressions = 0;
};

class DepthChain {
  public:
    explicit DepthChain(std::vector<double> shown)
        : shown_(std::move(shown)), unseen_(shown_.size(), 1.0), impressions_(shown_.size(), 0.0) {}

    // Moves the moment back by `seconds` of constant rates. Remembers, for arriving_before, what
    // the chain looked like from depth 0 after each number of events.
    void step_back(double seconds, double arrivals_per_second, double sessions_per_second) {
        const double q = arrivals_per_second + sessions_per_second;
        last_rate_ = q;
        first_unseen_.clear();
        first_impressions_.clear();
        first_rewards_.clear();
        if (seconds <= 0 || q <= 0) {
            first_unseen_.push_back(unseen_[0]);
            first_impressions_.push_back(impressions_[0]);
            first_rewards_.push_back(0);
            return;
        }
        const double arrival = arrivals_per_second / q;
        const double session = sessions_per_second / q;
        const std::size_t depth = shown_.size();
        poisson_probabilities(q * seconds, events_);
        tails_from(events_, tails_);
        // x: unseen after k events; y: impressions carried; z: one event's expected showings.
        std::vector<double>& x = work_[0];
        std::vector<double>& y = work_[1];
        std::vector<double>& z = work_[2];
        std::vector<double>& next = work_[3];
        x = unseen_;
        y = impressions_;
        z.resize(depth);
        for (std::size_t n = 0; n < depth; ++n) {
            z[n] = session * shown_[n];
        }
        for (std::size_t n = 0; n < depth; ++n) {
            unseen_[n] = events_[0] * x[n];
            impressions_[n] = events_[0] * y[n] + tails_[0] * z[n];
        }
        record(x[0], y[0], z[0]);
        for (std::size_t k = 1; k < events_.size(); ++k) {
            // One event, looking forward: an arrival moves the post one deeper (past the last
            // depth it has sunk: unseen for sure, no more showings); a session that shows it ends
            // its chance of going unseen and leaves it where it is.
            next.resize(depth);
            for (std::size_t n = 0; n < depth; ++n) {
                const double deeper = n + 1 < depth ? x[n + 1] : 1.0;
                next[n] = session * (1 - shown_[n]) * x[n] + arrival * deeper;
            }
            x.swap(next);
            for (std::size_t n = 0; n < depth; ++n) {
                next[n] = session * y[n] + arrival * (n + 1 < depth ? y[n + 1] : 0.0);
            }
            y.swap(next);
            for (std::size_t n = 0; n < depth; ++n) {
                next[n] = session * z[n] + arrival * (n + 1 < depth ? z[n + 1] : 0.0);
            }
            z.swap(next);
            for (std::size_t n = 0; n < depth; ++n) {
                unseen_[n] += events_[k] * x[n];
                impressions_[n] += events_[k] * y[n] + tails_[k] * z[n];
            }
            record(x[0], y[0], z[0]);
        }
    }

    // An arrival at this moment (the author's own scheduled post): every depth one deeper.
    void arrival() {
        const std::size_t depth = shown_.size();
        for (std::size_t n = 0; n + 1 < depth; ++n) {
            unseen_[n] = unseen_[n + 1];
            impressions_[n] = impressions_[n + 1];
        }
        unseen_[depth - 1] = 1;
        impressions_[depth - 1] = 0;
    }

    // A post arriving `seconds` (at most the last step's length) before the moment the last
    // step_back started from: its chance of going unseen, and its expected impressions.
    [[nodiscard]] Outlook arriving_before(double seconds) {
        if (seconds <= 0 || last_rate_ <= 0) {
            return {first_unseen_[0], first_impressions_[0]};
        }
        poisson_probabilities(last_rate_ * seconds, events_);
        tails_from(events_, tails_);
        Outlook outlook{0, 0};
        const std::size_t count = std::min(events_.size(), first_unseen_.size());
        for (std::size_t k = 0; k < count; ++k) {
            outlook.unseen += events_[k] * first_unseen_[k];
            outlook.impressions +=
                events_[k] * first_impressions_[k] + tails_[k] * first_rewards_[k];
        }
        return outlook;
    }

    // A post arriving at this moment.
    [[nodiscard]] Outlook now() const { return {unseen_[0], impressions_[0]}; }

  private:
    // tails[k] = P(more than k events).
    static void tails_from(const std::vector<double>& p, std::vector<double>& tails) {
        tails.assign(p.size(), 0.0);
        double sum = 0;
        for (std::size_t k = p.size(); k-- > 0;) {
            tails[k] = sum;
            sum += p[k];
        }
    }

    void record(double unseen, double impressions, double reward) {
        first_unseen_.push_back(unseen);
        first_impressions_.push_back(impressions);
        first_rewards_.push_back(reward);
    }

    std::vector<double> shown_;
    std::vector<double> unseen_;
    std::vector<double> impressions_;
    double last_rate_ = 0;  // events per second in the last step
    std::vector<double> first_unseen_;
    std::vector<double> first_impressions_;
    std::vector<double> first_rewards_;
    std::vector<double> events_;
    std::vector<double> tails_;
    std::array<std::vector<double>, 4> work_;
};

[[noreturn]] void refuse_expectation(const std::string& scenario_path, const std::string& key,
                                     const std::string& why) {
    throw input_error({scenario_path, 0}, key,
                      "expectation mode (--expected) cannot compute " + why +
                          "; run without --expected to sample it");
}

}  // namespace

std::vector<double> shown_by_depth(const Distribution& feed_depth, std::uint64_t deepest) {
    std::vector<double> shown(deepest, 1.0);
    if (feed_depth.per != Distribution::Per::event) {
        return shown;  // the account's own depth, every session
    }
    // A session shows min(deepest, max(1, round(min(X, cap)))) items, X a draw of feed_depth:
    // depth n (n >= 1) is shown when min(X, cap) >= n + 1/2.
    auto at_least = [&](double x) -> double {
        if (feed_depth.cap < x) {
            return 0;
        }
        switch (feed_depth.kind) {
            case Distribution::Kind::fixed:
                return feed_depth.value >= x ? 1 : 0;
            case Distribution::Kind::geometric:  // on {1, 2, ...}: P(X >= m) = f^(m-1)
                return feed_depth.mean <= 1 ? (x <= 1 ? 1 : 0)
                                            : std::pow(1 - 1 / feed_depth.mean, std::ceil(x) - 1);
            case Distribution::Kind::exponential:
                return std::exp(-x / feed_depth.mean);
            case Distribution::Kind::lognormal: {
                const double sigma = feed_depth.sigma;
                const double mu = std::log(feed_depth.mean) - sigma * sigma / 2;
                return 0.5 * std::erfc((std::log(x) - mu) / (sigma * std::sqrt(2.0)));
            }
            case Distribution::Kind::empirical: {
                double count = 0;
                for (double value : feed_depth.values) {
                    count += value >= x ? 1 : 0;
                }
                return count / static_cast<double>(feed_depth.values.size());
            }
            default:  // the scenario reader allows these for delays only
                throw internal_error("shown_by_depth: a power-law depth");
        }
    };
    for (std::uint64_t n = 1; n < deepest; ++n) {
        shown[n] = at_least(static_cast<double>(n) + 0.5);
    }
    return shown;
}

void check_expectation_applies(const Model& model, const std::string& scenario_path) {
    auto refuse = [&](const std::string& key, const std::string& why) {
        refuse_expectation(scenario_path, key, why);
    };
    if (!model.is_star()) {
        if (model.retweets) {
            refuse("retweets",
                   "retweet cascades: beyond the first generation they have no closed form");
        }
        refuse("graph", "a graph audience (not yet: only an author's followers)");
    }
    // A star's retweets reach the retweeters' own followers outside the run: what the followers
    // see is the same with or without them, and reach beyond them is not computed.
    if (std::fmod(static_cast<double>(model.start_unix_seconds), expectation_step_seconds) != 0) {
        refuse("simulation.start", "from a start off the quarter hour");
    }
    const auto& star = std::get<StarAudience>(model.audience.source);
    auto check_offset = [&](double hours, const std::string& key) {
        if (std::fmod(hours * 4, 1.0) != 0) {
            refuse(key, "rates at a UTC offset off the quarter hour");
        }
    };
    check_offset(star.author_utc_offset_hours, "author.utc_offset");
    if (const auto* schedule = std::get_if<SchedulePosting>(&star.author_posting)) {
        if (schedule->jitter_seconds > 0) {
            refuse("author.posting.jitter", "jittered post times (use 0, or Poisson posting)");
        }
    }
    for (const AccountSegment& segment : model.segments) {
        const std::string where = "segment '" + segment.name + "': ";
        check_offset(segment.utc_offset_hours, where + "utc_offset");
        if (segment.session_duration != Distribution::fixed_at(0.0)) {
            refuse(where + "sessions.duration", "sessions that last (not yet)");
        }
        if (segment.notifications.share > 0) {
            refuse(where + "notifications.share", "notifications (not yet)");
        }
        if (segment.profile_visits.any()) {
            refuse(where + "profile_visits", "profile visits (not yet)");
        }
        if (segment.attention.any()) {
            refuse(where + "attention", "attention that fades (not yet)");
        }
    }
}

ExpectedViews expected_views(const FeedOnGrid& feed, const std::vector<double>& post_times,
                             const std::vector<double>& post_rate_per_second,
                             double recorded_until) {
    const double step = expectation_step_seconds;
    const std::size_t pieces = feed.arrivals_per_second.size();
    DepthChain chain(feed.shown);
    ExpectedViews total;
    auto scheduled = feed.scheduled_arrivals.rbegin();
    auto post = post_times.rbegin();
    for (std::size_t p = pieces; p-- > 0;) {
        const double start = static_cast<double>(p) * step;
        const double end = std::min(start + step, feed.horizon_seconds);
        const double arrivals = feed.arrivals_per_second[p];
        const double sessions = feed.sessions_per_second[p];
        // Posts spread over the piece (Poisson posting), up to the end of the recorded time.
        const double rate = p < post_rate_per_second.size() ? post_rate_per_second[p] : 0;
        const double spread_end = std::min(end, recorded_until);
        // Walks back through the piece from its end, stopping at each scheduled arrival and post;
        // each stretch's spread posts are integrated by Gauss-Legendre.
        double moment = end;
        auto step_back_to = [&](double earlier) {
            chain.step_back(moment - earlier, arrivals, sessions);
            const double low = earlier;
            const double high = std::min(moment, spread_end);
            if (rate > 0 && high > low) {
                const double half = (high - low) / 2;
                for (std::size_t g = 0; g < gauss_nodes.size(); ++g) {
                    const double t = low + half * (1 + gauss_nodes[g]);
                    const Outlook outlook = chain.arriving_before(moment - t);
                    total.seen += rate * half * gauss_weights[g] * (1 - outlook.unseen);
                    total.impressions += rate * half * gauss_weights[g] * outlook.impressions;
                }
            }
            moment = earlier;
        };
        while (true) {
            const double scheduled_time =
                scheduled != feed.scheduled_arrivals.rend() && *scheduled >= start ? *scheduled
                                                                                   : -1;
            const double post_time = post != post_times.rend() && *post >= start ? *post : -1;
            const double next = std::max(scheduled_time, post_time);
            if (next < 0) {
                break;
            }
            step_back_to(next);
            if (post_time == next) {
                const Outlook outlook = chain.now();
                total.seen += 1 - outlook.unseen;
                total.impressions += outlook.impressions;
                ++post;
            }
            if (scheduled_time == next) {
                chain.arrival();
                ++scheduled;
            }
        }
        step_back_to(start);
    }
    return total;
}

ExpectedStar expect_star(const Model& model, const World& world) {
    const Accounts& accounts = world.accounts;
    const ActivityShapes& author_shapes = accounts.shapes_of(0);
    const double recorded_until = model.duration_seconds;
    const double step = expectation_step_seconds;
    const bool poisson = std::holds_alternative<PoissonPosting>(*author_shapes.posting);
    const double author_per_day = accounts.posts_per_day[0];

    // The author's posts: a rate on the grid (Poisson) or the scheduled times.
    std::vector<double> schedule;
    if (!poisson) {
        RandomStream unused({0, 0, StreamKind::author_posts, 0});  // no jitter: nothing drawn
        for_each_post(*author_shapes.posting, author_shapes.posting_rhythm, author_per_day,
                      author_shapes.utc_offset_hours, model.start_unix_seconds, posting_end(model),
                      unused, [&](double t) { schedule.push_back(t); });
    }
    // The horizon: the follow-up's end, or with an unlimited one far enough that the background
    // has surely buried every recorded post (more than 10 K + 1000 expected arrivals after the
    // last).
    double horizon = model.horizon_seconds();
    if (!std::isfinite(horizon)) {
        horizon = recorded_until;
        for (std::size_t a = 1; a < accounts.size(); ++a) {
            const ActivityShapes& shapes = accounts.shapes_of(a);
            const double per_day = accounts.background_per_day[accounts.segment[a]];
            const double needed = 10.0 * accounts.feed_depth[a] + 1000;
            const double per_week =
                per_day * (shapes.background.cumulative(recorded_until + 7 * seconds_per_day) -
                           shapes.background.cumulative(recorded_until));
            if (!(per_week > 0)) {  // the scenario reader refuses such a model
                throw internal_error("expect_star: an unlimited follow-up with no background");
            }
            const double end = recorded_until + 7 * seconds_per_day * std::ceil(needed / per_week);
            horizon = std::max(horizon, end);
        }
    }
    const auto pieces = static_cast<std::size_t>(std::ceil(horizon / step));
    auto rates_on_grid = [&](const RateSchedule& schedule_of, double per_day, double until) {
        std::vector<double> rates(pieces, 0.0);
        for (std::size_t p = 0; p < pieces; ++p) {
            const double start = static_cast<double>(p) * step;
            const double end = std::min(start + step, horizon);
            if (start < until && end > start) {
                const double stop = std::min(end, until);
                rates[p] = per_day *
                           (schedule_of.cumulative(stop) - schedule_of.cumulative(start)) /
                           (end - start);
            }
        }
        return rates;
    };
    const double posting_until = posting_end(model);
    const std::vector<double> author_rate =
        poisson ? rates_on_grid(author_shapes.posting_rhythm, author_per_day, posting_until)
                : std::vector<double>(pieces, 0.0);
    std::vector<double> recorded_rate = author_rate;
    recorded_rate.resize(
        std::min(pieces, static_cast<std::size_t>(std::ceil(recorded_until / step))));
    std::vector<double> recorded_posts;
    for (double t : schedule) {
        if (t < recorded_until) {
            recorded_posts.push_back(t);
        }
    }

    ExpectedStar expected;
    expected.posts = static_cast<double>(recorded_posts.size());
    if (poisson) {
        expected.posts = author_per_day * (author_shapes.posting_rhythm.cumulative(recorded_until) -
                                           author_shapes.posting_rhythm.cumulative(0));
    }
    // Followers alike in everything the chain depends on share one solution.
    using Kind = std::tuple<std::uint16_t, float, std::uint32_t>;
    std::map<Kind, std::size_t> kind_of;
    std::vector<std::size_t> follower_kind(accounts.size(), 0);
    std::vector<AccountIndex> representative;
    for (std::size_t a = 1; a < accounts.size(); ++a) {
        const Kind kind{accounts.shapes[a], accounts.sessions_per_day[a], accounts.feed_depth[a]};
        const auto [found, inserted] = kind_of.try_emplace(kind, representative.size());
        if (inserted) {
            representative.push_back(static_cast<AccountIndex>(a));
        }
        follower_kind[a] = found->second;
    }
    std::vector<ExpectedViews> by_kind(representative.size());
    parallel_for_each_index(0, representative.size(), [&](std::size_t k) {
        const AccountIndex a = representative[k];
        const ActivityShapes& shapes = accounts.shapes_of(a);
        FeedOnGrid feed;
        feed.shown =
            shown_by_depth(model.segments[accounts.segment[a]].feed_depth, accounts.feed_depth[a]);
        feed.horizon_seconds = horizon;
        feed.arrivals_per_second = rates_on_grid(
            shapes.background, accounts.background_per_day[accounts.segment[a]], horizon);
        for (std::size_t p = 0; p < pieces; ++p) {
            feed.arrivals_per_second[p] += author_rate[p];
        }
        feed.sessions_per_second =
            rates_on_grid(shapes.sessions, accounts.sessions_per_day[a], horizon);
        feed.scheduled_arrivals = schedule;
        by_kind[k] = expected_views(feed, recorded_posts, recorded_rate, recorded_until);
    });
    expected.followers.resize(accounts.size() - 1);
    for (std::size_t a = 1; a < accounts.size(); ++a) {
        const ExpectedViews& views = by_kind[follower_kind[a]];
        expected.followers[a - 1] = {views.seen, views.impressions};
    }
    return expected;
}

std::vector<ExpectedGroup> expected_by_segment(const Model& model, const World& world,
                                               const ExpectedStar& expected) {
    std::vector<ExpectedGroup> groups(model.segments.size() + 1);
    std::vector<double> seen(groups.size(), 0.0);
    std::vector<double> impressions(groups.size(), 0.0);
    for (std::size_t s = 0; s < model.segments.size(); ++s) {
        groups[s].name = model.segments[s].name;
    }
    groups.back().name = "all";
    for (std::size_t i = 0; i < expected.followers.size(); ++i) {
        for (const std::size_t g :
             {std::size_t{world.accounts.segment[i + 1]}, groups.size() - 1}) {
            ++groups[g].size;
            seen[g] += expected.followers[i].posts_seen;
            impressions[g] += expected.followers[i].impressions;
        }
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const double pairs = expected.posts * static_cast<double>(groups[g].size);
        groups[g].seen_fraction = seen[g] / pairs;
        groups[g].impressions_per_post_follower = impressions[g] / pairs;
        groups[g].mean_followers_reached = seen[g] / expected.posts;
    }
    return groups;
}

}  // namespace reachsim
