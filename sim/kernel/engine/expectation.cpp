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

// Upper regularized incomplete gamma Q(k, y) for k = 1..count, by Q(k + 1) = Q(k) + y^k e^-y / k!
// (terms in logarithms, so a large y underflows nothing that matters).
void upper_gammas(double y, std::size_t count, std::vector<double>& q) {
    q.assign(count + 1, 0.0);
    if (y <= 0) {
        std::fill(q.begin(), q.end(), 1.0);
        return;
    }
    const double log_y = std::log(y);
    double log_term = -y;  // log of y^0 e^-y / 0!
    double sum = 0;
    for (std::size_t k = 1; k <= count; ++k) {
        sum += std::exp(log_term);
        q[k] = std::min(sum, 1.0);
        log_term += log_y - std::log(static_cast<double>(k));
    }
}

// Poisson(mean) probabilities of 0..last, last chosen so that the rest is negligible.
void poisson_probabilities(double mean, std::size_t most, std::vector<double>& p) {
    const auto last = static_cast<std::size_t>(
        std::min(static_cast<double>(most), std::ceil(mean + 20 * std::sqrt(mean) + 40)));
    p.assign(last + 1, 0.0);
    if (mean <= 0) {
        p[0] = 1;
        return;
    }
    const double log_mean = std::log(mean);
    for (std::size_t j = 0; j <= last; ++j) {
        p[j] = std::exp(static_cast<double>(j) * log_mean - mean -
                        std::lgamma(static_cast<double>(j) + 1));
    }
}

// The chain of a post at depth n = 0..K-1 (arrivals since it) at one moment, looking forward:
// unseen[n], the chance that no session shows it from then on, and impressions[n], the sessions
// that will. Sunk (n >= K): never seen again.
class DepthChain {
  public:
    explicit DepthChain(std::uint64_t depth)
        : depth_(depth), unseen_(depth, 1.0), impressions_(depth, 0.0) {}

    // Moves the moment back by `seconds` over which arrivals and sessions have constant rates.
    void step_back(double seconds, double arrivals_per_second, double sessions_per_second) {
        if (seconds <= 0) {
            return;
        }
        Stretch stretch(seconds, arrivals_per_second, sessions_per_second, depth_, scratch_);
        for (std::size_t n = 0; n < depth_; ++n) {
            const std::size_t room = depth_ - n;  // arrivals that sink it
            double unseen = 0;
            double impressions = 0;
            const std::size_t last = std::min(room, stretch.arrivals.size());
            for (std::size_t j = 0; j < last; ++j) {
                unseen += stretch.arrivals[j] * unseen_[n + j];
                impressions += stretch.arrivals[j] * impressions_[n + j];
            }
            unseen_[n] = stretch.no_session * unseen + stretch.sinks_unseen[room];
            impressions_[n] = impressions + stretch.sessions_within[room];
        }
    }

    // An arrival at this moment (the author's own scheduled post): every depth one deeper.
    void arrival() {
        for (std::size_t n = 0; n + 1 < depth_; ++n) {
            unseen_[n] = unseen_[n + 1];
            impressions_[n] = impressions_[n + 1];
        }
        unseen_[depth_ - 1] = 1;
        impressions_[depth_ - 1] = 0;
    }

    // A post arriving `seconds` before this moment, rates constant in between: its chance of
    // going unseen and its expected impressions.
    [[nodiscard]] ExpectedViews arriving_before(double seconds, double arrivals_per_second,
                                                double sessions_per_second) {
        Stretch stretch(seconds, arrivals_per_second, sessions_per_second, depth_, scratch_);
        double unseen = 0;
        double impressions = 0;
        const std::size_t last = std::min<std::size_t>(depth_, stretch.arrivals.size());
        for (std::size_t j = 0; j < last; ++j) {
            unseen += stretch.arrivals[j] * unseen_[j];
            impressions += stretch.arrivals[j] * impressions_[j];
        }
        return {stretch.no_session * unseen + stretch.sinks_unseen[depth_],
                impressions + stretch.sessions_within[depth_]};
    }

    [[nodiscard]] ExpectedViews now() const { return {unseen_[0], impressions_[0]}; }

  private:
    struct Scratch {
        std::vector<double> q;
    };

    // What `seconds` at constant rates λ (arrivals), μ (sessions) do to a post at a depth with
    // `room` arrivals left before it sinks: arrivals[j] = P(j arrivals), no_session = e^-μh;
    // sinks_unseen[room] = P(it sinks within the stretch before any session)
    // = (λ/(λ+μ))^room P(room, (λ+μ)h); sessions_within[room] = μ ∫ P(fewer than room arrivals
    // by u) du = (μ/λ) Σ_{i=1..room} P(i, λh) (P the lower regularized incomplete gamma).
    struct Stretch {
        Stretch(double seconds, double lambda, double mu, std::uint64_t depth, Scratch& scratch)
            : no_session(std::exp(-mu * seconds)),
              sinks_unseen(depth + 1, 0.0),
              sessions_within(depth + 1, 0.0) {
            poisson_probabilities(lambda * seconds, depth, arrivals);
            if (lambda > 0) {
                upper_gammas((lambda + mu) * seconds, depth, scratch.q);
                const double ratio = lambda / (lambda + mu);
                double power = 1;
                for (std::size_t k = 1; k <= depth; ++k) {
                    power *= ratio;
                    sinks_unseen[k] = power * (1 - scratch.q[k]);
                }
                upper_gammas(lambda * seconds, depth, scratch.q);
                double sum = 0;
                for (std::size_t k = 1; k <= depth; ++k) {
                    sum += 1 - scratch.q[k];
                    sessions_within[k] = mu / lambda * sum;
                }
            } else {
                std::fill(sessions_within.begin() + 1, sessions_within.end(), mu * seconds);
            }
        }
        std::vector<double> arrivals;
        double no_session;
        std::vector<double> sinks_unseen;
        std::vector<double> sessions_within;
    };

    std::size_t depth_;
    std::vector<double> unseen_;
    std::vector<double> impressions_;
    Scratch scratch_;
};

[[noreturn]] void refuse_expectation(const std::string& scenario_path, const std::string& key,
                                     const std::string& why) {
    throw input_error({scenario_path, 0}, key,
                      "expectation mode (--expected) cannot compute " + why +
                          "; run without --expected to sample it");
}

}  // namespace

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
        if (segment.feed_depth.per == Distribution::Per::event) {
            refuse(where + "feed_depth",
                   "a depth drawn per session (not yet: draw it per account, per = \"account\")");
        }
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
    DepthChain chain(feed.depth);
    ExpectedViews total;
    auto scheduled = feed.scheduled_arrivals.rbegin();
    auto post = post_times.rbegin();
    for (std::size_t p = pieces; p-- > 0;) {
        const double start = static_cast<double>(p) * step;
        const double end = std::min(start + step, feed.horizon_seconds);
        const double arrivals = feed.arrivals_per_second[p];
        const double sessions = feed.sessions_per_second[p];
        // A spread of posts over the piece, up to the end of the recorded time.
        const double rate = p < post_rate_per_second.size() ? post_rate_per_second[p] : 0;
        const double spread_end = std::min(end, recorded_until);
        // Walk back through the piece from its end, stopping at each scheduled arrival and post.
        double moment = end;
        auto spread_until = [&](double from) {
            // Posts spread over [from, moment) ∩ [start, spread_end), integrated by Gauss-Legendre.
            const double low = std::max(from, start);
            const double high = std::min(moment, spread_end);
            if (rate <= 0 || high <= low) {
                return;
            }
            const double half = (high - low) / 2;
            for (std::size_t g = 0; g < gauss_nodes.size(); ++g) {
                const double t = low + half * (1 + gauss_nodes[g]);
                const ExpectedViews views = chain.arriving_before(moment - t, arrivals, sessions);
                total.seen += rate * half * gauss_weights[g] * (1 - views.seen);
                total.impressions += rate * half * gauss_weights[g] * views.impressions;
            }
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
            spread_until(next);
            chain.step_back(moment - next, arrivals, sessions);
            moment = next;
            if (post_time == next) {
                const ExpectedViews views = chain.now();
                total.seen += 1 - views.seen;
                total.impressions += views.impressions;
                ++post;
            }
            if (scheduled_time == next) {
                chain.arrival();
                ++scheduled;
            }
        }
        spread_until(start);
        chain.step_back(moment - start, arrivals, sessions);
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
        feed.depth = accounts.feed_depth[a];
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
