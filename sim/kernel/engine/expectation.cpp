#include "engine/expectation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <span>
#include <tuple>

#include "activity/posting.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "engine/replicate_setup.hpp"

namespace reachsim {
namespace {

// The grid on which every rate is constant: a quarter of an hour.
constexpr double expectation_step_seconds = 900;

// One kind of follower's feed on the grid, piece p = [p step, (p + 1) step): arrivals per second
// and sessions per second in each piece, how deep its sessions scroll, and the moments (ascending)
// when a star author's other posts arrive if they are scheduled rather than Poisson.
struct FeedOnGrid {
    std::vector<double> arrivals_per_second;
    std::vector<double> sessions_per_second;
    std::vector<double> shown;  // by depth n (items arrived since): P(a session shows it)
    double horizon_seconds = 0;
    std::vector<double> scheduled_arrivals;
};

// What a tracked author's recorded posts are to the chains: their rate on the grid (Poisson
// posting) or their times (a schedule), and how many are expected.
struct PostSource {
    std::vector<double> times;
    std::vector<double> rate_per_second;
    double expected_posts = 0;
};

struct ExpectedViews {
    double seen = 0;
    double impressions = 0;
};

// Gauss-Legendre nodes and weights on [-1, 1]: a post spread over a piece is integrated with
// them (the seen probability is smooth within a piece).
constexpr std::array<double, 8> gauss_nodes{
    -0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
    0.1834346424956498,  0.5255324099163290,  0.7966664774136267,  0.9602898564975363};
constexpr std::array<double, 8> gauss_weights{
    0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620,
    0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};

// Poisson(mean) probabilities of 0, 1, ... up to where the rest is negligible: from the mode
// outwards by the ratio of neighbours (one logarithm of a factorial in all). Past the mean the
// terms fall faster than geometrically, by r = mean / (k + 1) at term k, so the rest after term k
// is below p[k] r / (1 - r): the terms stop once that is below 1e-20.
void poisson_probabilities(double mean, std::vector<double>& p) {
    p.clear();
    if (mean <= 0) {
        p.push_back(1);
        return;
    }
    const auto mode = static_cast<std::size_t>(std::floor(mean));
    const double at_mode = static_cast<double>(mode);
    p.resize(mode + 1);
    // lgamma_r, not std::lgamma: lgamma writes the global signgam, a race between threads.
    int sign = 0;
    p[mode] = std::exp(at_mode * std::log(mean) - mean - ::lgamma_r(at_mode + 1, &sign));
    for (std::size_t k = mode; k-- > 0;) {
        p[k] = p[k + 1] * static_cast<double>(k + 1) / mean;
    }
    for (std::size_t k = mode + 1;; ++k) {
        const double ratio = mean / static_cast<double>(k + 1);
        p.push_back(p.back() * mean / static_cast<double>(k));
        if (ratio < 1 && p.back() * ratio < 1e-20 * (1 - ratio)) {
            return;
        }
    }
}

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
        // Chances that an event leaves the post where it is: for x a session that does not show
        // it; for y and z any session.
        std::vector<double>& stays_unseen = work_[4];
        std::vector<double>& stays = work_[5];
        x = unseen_;
        y = impressions_;
        z.resize(depth);
        stays_unseen.resize(depth);
        stays.assign(depth, session);
        for (std::size_t n = 0; n < depth; ++n) {
            z[n] = session * shown_[n];
            stays_unseen[n] = session * (1 - shown_[n]);
        }
        for (std::size_t n = 0; n < depth; ++n) {
            unseen_[n] = events_[0] * x[n];
            impressions_[n] = events_[0] * y[n] + tails_[0] * z[n];
        }
        record(x[0], y[0], z[0]);
        next.resize(depth);
        const std::size_t last = depth - 1;
        for (std::size_t k = 1; k < events_.size(); ++k) {
            // One event, looking forward: an arrival moves the post one deeper (past the last
            // depth it has sunk: unseen for sure, no more showings); a session that shows it ends
            // its chance of going unseen and leaves it where it is. (Plain loops over restrict
            // pointers, the last depth apart, so that they vectorise.)
            one_event(stays_unseen.data(), arrival, x.data(), next.data(), last);
            next[last] = stays_unseen[last] * x[last] + arrival;
            x.swap(next);
            one_event(stays.data(), arrival, y.data(), next.data(), last);
            next[last] = session * y[last];
            y.swap(next);
            one_event(stays.data(), arrival, z.data(), next.data(), last);
            next[last] = session * z[last];
            z.swap(next);
            accumulate(events_[k], tails_[k], x.data(), y.data(), z.data(), unseen_.data(),
                       impressions_.data(), depth);
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
    // next[n] = stay[n] from[n] + arrival from[n + 1] for n < last.
    static void one_event(const double* __restrict stays, double arrival,
                          const double* __restrict from, double* __restrict next,
                          std::size_t last) {
        for (std::size_t n = 0; n < last; ++n) {
            next[n] = stays[n] * from[n] + arrival * from[n + 1];
        }
    }
    static void accumulate(double events, double tails, const double* __restrict x,
                           const double* __restrict y, const double* __restrict z,
                           double* __restrict unseen, double* __restrict impressions,
                           std::size_t depth) {
        for (std::size_t n = 0; n < depth; ++n) {
            unseen[n] += events * x[n];
            impressions[n] += events * y[n] + tails * z[n];
        }
    }

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
    std::array<std::vector<double>, 6> work_;
};

[[noreturn]] void refuse_expectation(const std::string& scenario_path, const std::string& key,
                                     const std::string& why) {
    throw input_error({scenario_path, 0}, key,
                      "expectation mode (--expected) cannot compute " + why +
                          "; run without --expected to sample it");
}

bool on_quarter_hour(double utc_offset_hours) {
    return std::fmod(utc_offset_hours * 4, 1.0) == 0;
}

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

// For each source, its recorded posts' expected count seen and expected impressions: spread
// with its rate over [0, recorded_until), or at its times.
std::vector<ExpectedViews> expected_views(const FeedOnGrid& feed,
                                          const std::vector<const PostSource*>& sources,
                                          double recorded_until) {
    const double step = expectation_step_seconds;
    const std::size_t pieces = feed.arrivals_per_second.size();
    DepthChain chain(feed.shown);
    std::vector<ExpectedViews> totals(sources.size());
    std::vector<std::pair<double, std::size_t>> posts;  // (time, source), ascending
    for (std::size_t i = 0; i < sources.size(); ++i) {
        for (const double t : sources[i]->times) {
            posts.emplace_back(t, i);
        }
    }
    std::sort(posts.begin(), posts.end());
    auto scheduled = feed.scheduled_arrivals.rbegin();
    auto post = posts.rbegin();
    auto piece_start = [&](std::size_t p) { return static_cast<double>(p) * step; };
    // Posts spread with the sources' rates over [low, high) (within one piece), a post at t
    // arriving `moment - t` before the moment the chain's last step started from.
    auto integrate_spread = [&](std::size_t p, double low, double high, double moment) {
        high = std::min(high, recorded_until);
        if (high <= low) {
            return;
        }
        const double half = (high - low) / 2;
        for (std::size_t g = 0; g < gauss_nodes.size(); ++g) {
            const double t = low + half * (1 + gauss_nodes[g]);
            const Outlook outlook = chain.arriving_before(moment - t);
            const double weight = half * gauss_weights[g];
            for (std::size_t i = 0; i < sources.size(); ++i) {
                const auto& rates = sources[i]->rate_per_second;
                const double rate = p < rates.size() ? rates[p] : 0;
                totals[i].seen += rate * weight * (1 - outlook.unseen);
                totals[i].impressions += rate * weight * outlook.impressions;
            }
        }
    };
    // Walks back through stretches of pieces with the same rates (one chain step each: a step
    // costs a fixed overhead of events beyond its expected ones, so short pieces are best
    // merged), stopping at each scheduled arrival and post.
    std::size_t last = pieces;  // one past the last piece of the next stretch
    double moment = feed.horizon_seconds;
    while (last > 0) {
        std::size_t first = last - 1;
        const double arrivals = feed.arrivals_per_second[first];
        const double sessions = feed.sessions_per_second[first];
        // (Rates from differences of cumulative counts differ in their last bits.)
        auto same = [](double a, double b) { return std::abs(a - b) <= 1e-12 * std::abs(b); };
        // A stretch holds at most ~256 expected events: longer ones would make every post time
        // within it cost as much (arriving_before sums over the events before it).
        const double most_pieces = std::max(1.0, 256 / ((arrivals + sessions) * step));
        while (first > 0 && static_cast<double>(last - first) < most_pieces &&
               same(feed.arrivals_per_second[first - 1], arrivals) &&
               same(feed.sessions_per_second[first - 1], sessions)) {
            --first;
        }
        const double stretch_start = piece_start(first);
        auto step_back_to = [&](double earlier) {
            chain.step_back(moment - earlier, arrivals, sessions);
            for (std::size_t p = last; p-- > first;) {
                const double low = std::max(piece_start(p), earlier);
                const double high = std::min(piece_start(p) + step, moment);
                if (high <= low) {
                    if (piece_start(p) + step <= earlier) {
                        break;
                    }
                    continue;
                }
                integrate_spread(p, low, high, moment);
            }
            moment = earlier;
        };
        while (true) {
            const double scheduled_time =
                scheduled != feed.scheduled_arrivals.rend() && *scheduled >= stretch_start
                    ? *scheduled
                    : -1;
            const double post_time =
                post != posts.rend() && post->first >= stretch_start ? post->first : -1;
            const double next = std::max(scheduled_time, post_time);
            if (next < 0) {
                break;
            }
            step_back_to(next);
            while (post != posts.rend() && post->first == next) {
                const Outlook outlook = chain.now();
                totals[post->second].seen += 1 - outlook.unseen;
                totals[post->second].impressions += outlook.impressions;
                ++post;
            }
            if (scheduled_time == next) {
                chain.arrival();
                ++scheduled;
            }
        }
        step_back_to(stretch_start);
        last = first;
    }
    return totals;
}

// The horizon of the chains: the follow-up's end, or with an unlimited one (author scenarios) far
// enough that the background has surely buried every recorded post: more than 10 D + 1000
// expected arrivals after the last.
double chain_horizon(const Model& model, const Accounts& accounts) {
    const double recorded_until = model.duration_seconds;
    double horizon = model.horizon_seconds();
    if (std::isfinite(horizon)) {
        return horizon;
    }
    horizon = recorded_until;
    for (std::size_t a = 1; a < accounts.size(); ++a) {
        const ActivityShapes& shapes = accounts.shapes_of(a);
        const double per_day = accounts.background_per_day[accounts.segment[a]];
        const double needed = 10.0 * accounts.feed_depth[a] + 1000;
        const double per_week = per_day * shapes.background.expected_count(
                                              recorded_until, recorded_until + 7 * seconds_per_day);
        if (!(per_week > 0)) {  // the scenario reader refuses such a model
            throw internal_error("expect_views: an unlimited follow-up with no background");
        }
        horizon =
            std::max(horizon, recorded_until + 7 * seconds_per_day * std::ceil(needed / per_week));
    }
    return horizon;
}

// Rates on the grid up to the horizon: piece p's mean rate of `schedule` x per_day, zero from
// `until` on.
class Grid {
  public:
    explicit Grid(double horizon)
        : horizon_(horizon),
          pieces_(static_cast<std::size_t>(std::ceil(horizon / expectation_step_seconds))) {}

    [[nodiscard]] std::size_t pieces() const { return pieces_; }
    [[nodiscard]] double horizon() const { return horizon_; }

    [[nodiscard]] std::vector<double> rates(const RateSchedule& schedule, double per_day,
                                            double until) const {
        std::vector<double> rates(pieces_, 0.0);
        for (std::size_t p = 0; p < pieces_; ++p) {
            const double start = static_cast<double>(p) * expectation_step_seconds;
            const double end = std::min(start + expectation_step_seconds, horizon_);
            if (start < until && end > start) {
                const double stop = std::min(end, until);
                rates[p] = per_day * schedule.expected_count(start, stop) / (end - start);
            }
        }
        return rates;
    }

  private:
    double horizon_;
    std::size_t pieces_;
};

}  // namespace

void check_expectation_applies(const Model& model, const std::string& scenario_path) {
    auto refuse = [&](const std::string& key, const std::string& why) {
        refuse_expectation(scenario_path, key, why);
    };
    if (!model.is_star() && model.retweets) {
        refuse("retweets",
               "retweet cascades: beyond the first generation they have no closed form");
    }
    // A star's retweets reach the retweeters' own followers outside the run: what the followers
    // see is the same with or without them, and reach beyond them is not computed.
    if (std::fmod(static_cast<double>(model.start_unix_seconds), expectation_step_seconds) != 0) {
        refuse("simulation.start", "from a start off the quarter hour");
    }
    auto check_offset = [&](double hours, const std::string& key) {
        if (!on_quarter_hour(hours)) {
            refuse(key, "rates at a UTC offset off the quarter hour");
        }
    };
    if (const auto* star = std::get_if<StarAudience>(&model.audience.source)) {
        check_offset(star->author_utc_offset_hours, "author.utc_offset");
        if (const auto* schedule = std::get_if<SchedulePosting>(&star->author_posting)) {
            if (schedule->jitter_seconds > 0) {
                refuse("author.posting.jitter", "jittered post times (use 0, or Poisson posting)");
            }
        }
    }
    for (const AccountSegment& segment : model.segments) {
        const std::string where = "segment '" + segment.name + "': ";
        if (!model.is_star() && !std::holds_alternative<PoissonPosting>(segment.posting)) {
            refuse(where + "posting", "posts at scheduled times on a graph (not yet)");
        }
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

Expectation expect_views(const Model& model, const World& world) {
    const Accounts& accounts = world.accounts;
    // What an attribute file gives per account, beyond the model's checks.
    for (const ActivityShapes& shapes : accounts.shape_table) {
        if (!on_quarter_hour(shapes.utc_offset_hours)) {
            throw input_error(
                "expectation mode (--expected) cannot compute rates at a UTC offset "
                "off the quarter hour (the attribute file's utc_offset " +
                std::to_string(shapes.utc_offset_hours) + ")");
        }
    }
    for (const float share : accounts.notification_share) {
        if (share > 0) {
            throw input_error(
                "expectation mode (--expected) cannot compute notifications (not "
                "yet: the attribute file's notification_share)");
        }
    }
    const double recorded_until = model.duration_seconds;
    const double posting_until = posting_end(model);
    const Grid grid(chain_horizon(model, accounts));
    const bool star = model.is_star();

    // Every posting rhythm on the grid at one post per active day (Poisson posting), and a star
    // author's scheduled posts (graphs with schedules are refused).
    std::vector<std::vector<double>> posting_unit(accounts.shape_table.size());
    for (std::size_t s = 0; s < accounts.shape_table.size(); ++s) {
        const ActivityShapes& shapes = accounts.shape_table[s];
        if (std::holds_alternative<PoissonPosting>(*shapes.posting)) {
            posting_unit[s] = grid.rates(shapes.posting_rhythm, 1.0, posting_until);
        }
    }
    std::vector<double> star_schedule;
    if (star && !std::holds_alternative<PoissonPosting>(*accounts.shapes_of(0).posting)) {
        const ActivityShapes& shapes = accounts.shapes_of(0);
        RandomStream unused({0, 0, StreamKind::author_posts, 0});  // no jitter: nothing drawn
        for_each_post(*shapes.posting, shapes.posting_rhythm, accounts.posts_per_day[0],
                      shapes.utc_offset_hours, model.start_unix_seconds, posting_until, unused,
                      [&](double t) { star_schedule.push_back(t); });
    }
    const std::size_t recorded_pieces =
        std::min(grid.pieces(),
                 static_cast<std::size_t>(std::ceil(recorded_until / expectation_step_seconds)));
    std::vector<PostSource> sources;
    for (const AccountIndex author : world.tracked_authors) {
        PostSource source;
        const ActivityShapes& shapes = accounts.shapes_of(author);
        if (std::holds_alternative<PoissonPosting>(*shapes.posting)) {
            const double per_day = accounts.posts_per_day[author];
            source.rate_per_second = posting_unit[accounts.shapes[author]];
            source.rate_per_second.resize(recorded_pieces);
            for (double& rate : source.rate_per_second) {
                rate *= per_day;
            }
            source.expected_posts =
                per_day * shapes.posting_rhythm.expected_count(0, recorded_until);
        } else {
            for (double t : star_schedule) {
                if (t < recorded_until) {
                    source.times.push_back(t);
                }
            }
            source.expected_posts = static_cast<double>(source.times.size());
        }
        sources.push_back(std::move(source));
    }

    // The followers to solve, each with the tracked authors it follows (row = place among that
    // author's followers). A star's followers alike in rhythm, rate and depth share a solution;
    // a graph's feeds differ by their followees.
    struct Follows {
        std::size_t author;  // index into tracked_authors
        std::size_t row;
    };
    std::map<AccountIndex, std::vector<Follows>> follows_of;
    for (std::size_t k = 0; k < world.tracked_followers.size(); ++k) {
        for (std::size_t row = 0; row < world.tracked_followers[k].size(); ++row) {
            follows_of[world.tracked_followers[k][row]].push_back({k, row});
        }
    }
    using Kind = std::tuple<std::uint16_t, float, std::uint32_t, AccountIndex>;
    std::map<Kind, std::size_t> kind_of;
    std::vector<AccountIndex> representative;
    std::vector<std::size_t> kind_of_follower;
    for (const auto& [follower, follows] : follows_of) {
        const Kind kind{accounts.shapes[follower], accounts.sessions_per_day[follower],
                        accounts.feed_depth[follower], star ? 0 : follower};
        const auto [found, inserted] = kind_of.try_emplace(kind, representative.size());
        if (inserted) {
            representative.push_back(follower);
        }
        kind_of_follower.push_back(found->second);
    }
    // By kind, the expected views of each tracked author (all authors: a kind may stand for
    // followers of different ones).
    std::vector<std::vector<ExpectedViews>> by_kind(representative.size());
    parallel_for_each_index(0, representative.size(), [&](std::size_t k) {
        const AccountIndex follower = representative[k];
        const ActivityShapes& shapes = accounts.shapes_of(follower);
        FeedOnGrid feed;
        feed.shown = shown_by_depth(model.segments[accounts.segment[follower]].feed_depth,
                                    accounts.feed_depth[follower]);
        feed.horizon_seconds = grid.horizon();
        feed.arrivals_per_second =
            grid.rates(shapes.background, accounts.background_per_day[accounts.segment[follower]],
                       grid.horizon());
        // Followees' posts, summed by posting rhythm first.
        std::map<std::uint16_t, double> per_day_by_shape;
        const AccountIndex only_author = 0;
        const auto followees = star ? std::span<const AccountIndex>(&only_author, 1)
                                    : world.graph.followees_of(follower);
        for (const AccountIndex followee : followees) {
            per_day_by_shape[accounts.shapes[followee]] += accounts.posts_per_day[followee];
        }
        for (const auto& [shape, per_day] : per_day_by_shape) {
            const std::vector<double>& unit = posting_unit[shape];
            for (std::size_t p = 0; p < unit.size(); ++p) {
                feed.arrivals_per_second[p] += per_day * unit[p];
            }
        }
        feed.sessions_per_second =
            grid.rates(shapes.sessions, accounts.sessions_per_day[follower], grid.horizon());
        feed.scheduled_arrivals = star_schedule;
        // One solution serves every tracked author the follower follows.
        std::vector<const PostSource*> followed;
        for (const Follows& follows : follows_of.at(follower)) {
            followed.push_back(&sources[follows.author]);
        }
        const std::vector<ExpectedViews> views = expected_views(feed, followed, recorded_until);
        by_kind[k].resize(sources.size());
        for (std::size_t i = 0; i < views.size(); ++i) {
            by_kind[k][follows_of.at(follower)[i].author] = views[i];
        }
    });
    Expectation expectation;
    for (std::size_t k = 0; k < world.tracked_authors.size(); ++k) {
        ExpectedAuthor author{world.tracked_authors[k], sources[k].expected_posts, {}};
        author.followers.resize(world.tracked_followers[k].size());
        expectation.authors.push_back(std::move(author));
    }
    std::size_t index = 0;
    for (const auto& [follower, follows] : follows_of) {
        const std::vector<ExpectedViews>& views = by_kind[kind_of_follower[index++]];
        for (const Follows& one : follows) {
            expectation.authors[one.author].followers[one.row] = {follower, views[one.author].seen,
                                                                  views[one.author].impressions};
        }
    }
    return expectation;
}

std::vector<ExpectedGroup> expected_by_segment(const Model& model, const World& world,
                                               const Expectation& expectation) {
    std::vector<ExpectedGroup> groups(model.segments.size() + 1);
    std::vector<double> seen(groups.size(), 0.0);
    std::vector<double> impressions(groups.size(), 0.0);
    std::vector<double> pairs(groups.size(), 0.0);
    std::vector<double> posts(groups.size(), 0.0);
    for (std::size_t s = 0; s < model.segments.size(); ++s) {
        groups[s].name = model.segments[s].name;
    }
    groups.back().name = "all";
    for (const ExpectedAuthor& author : expectation.authors) {
        std::vector<bool> counted(groups.size(), false);
        for (const ExpectedFollower& follower : author.followers) {
            for (const std::size_t g :
                 {std::size_t{world.accounts.segment[follower.account]}, groups.size() - 1}) {
                ++groups[g].size;
                seen[g] += follower.posts_seen;
                impressions[g] += follower.impressions;
                pairs[g] += author.posts;
                if (!counted[g]) {  // each author's posts once per group it reaches
                    posts[g] += author.posts;
                    counted[g] = true;
                }
            }
        }
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
        groups[g].seen_fraction = seen[g] / pairs[g];
        groups[g].impressions_per_post_follower = impressions[g] / pairs[g];
        groups[g].mean_followers_reached = seen[g] / posts[g];
    }
    return groups;
}

double ExpectedAuthor::followers_reached_per_post() const {
    double seen = 0;
    for (const ExpectedFollower& follower : followers) {
        seen += follower.posts_seen;
    }
    return seen / posts;
}

}  // namespace reachsim
