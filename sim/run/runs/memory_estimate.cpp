#include "runs/memory_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/errors.hpp"
#include "engine/feed.hpp"
#include "engine/record.hpp"
#include "graph/follower_graph.hpp"
#include "graph/generators.hpp"
#include "runs/world_builder.hpp"

namespace reachsim {
namespace {

// What the process holds before any of the run's arrays: code, libraries, HDF5's and TBB's own
// state (measured: a one-follower run peaks at about 20 MB).
constexpr double baseline_bytes = 20e6;
constexpr double bytes_per_index = sizeof(AccountIndex);
constexpr double bytes_per_offset = sizeof(std::uint64_t);
// Per account: segment, shape, posting and session rates, depth, retweet probability.
constexpr double account_parameter_bytes = 2 + 2 + 4 + 4 + 4 + 4;

// A CSR in one direction, and the follower counts.
double graph_bytes(double accounts, double follows) {
    return bytes_per_offset * (accounts + 1) + bytes_per_index * follows + 4 * accounts;
}

// Posts made during [0, posting end) by every account of the segments, expected.
double expected_posts(const Model& model, double accounts) {
    const double days = (std::isfinite(model.follow_up_seconds) ? model.horizon_seconds()
                                                                : model.duration_seconds) /
                        seconds_per_day;
    auto active_share = [](const WeekdaySet& set) {
        return static_cast<double>(std::count(set.begin(), set.end(), true)) / days_per_week;
    };
    auto per_day = [&](const Posting& posting) {
        if (const auto* poisson = std::get_if<PoissonPosting>(&posting)) {
            return poisson->per_day.expected() * active_share(poisson->rhythm.days);
        }
        const auto& schedule = std::get<SchedulePosting>(posting);
        return static_cast<double>(schedule.local_times_seconds.size()) *
               active_share(schedule.days);
    };
    if (const auto* star = std::get_if<StarAudience>(&model.audience.source)) {
        return per_day(star->author_posting) * days;
    }
    double posts = 0;
    double counted = 0;
    for (const auto& segment : model.segments) {
        const double share = segment.count > 0 ? static_cast<double>(segment.count) / accounts
                                               : std::max(segment.share, 0.0);
        posts += share * accounts * per_day(segment.posting) * days;
        counted += share;
    }
    return counted > 0 ? posts / counted : 0;
}

// Building a generated graph: followees drawn per account and compacted in place, the alias table
// of follower weights; with reciprocity, the rows grown in place with the returned follows.
double generation_bytes(const Model& model, double accounts, double follows) {
    const double drawn = follows / (1 + returned_share(model.audience.reciprocity));
    if (std::holds_alternative<PriceGenerator>(model.audience.source)) {
        // The list of every followee so far, and the followee array growing by doubling.
        return bytes_per_index * drawn * 3 + bytes_per_offset * accounts;
    }
    const double per_account = bytes_per_offset * 3 + 24;  // offsets, kept, self-loops, alias
    const double drawing = bytes_per_index * drawn + per_account * accounts;
    if (model.audience.reciprocity <= 0) {
        return drawing;
    }
    // Each returned follow listed as (followee, follower); offsets old and new, cursors, kept and
    // added counts per account.
    const double rebuilding = bytes_per_index * follows + 2 * bytes_per_index * (follows - drawn) +
                              (bytes_per_offset * 4 + 4) * accounts;
    return std::max(drawing, rebuilding);
}

// How many authors the run tracks (a star: its author).
double tracked_authors(const Model& model) {
    if (model.is_star()) {
        return 1;
    }
    double authors = 0;
    for (const auto& selector : model.track.authors) {
        const bool counted = selector.kind == AuthorSelector::Kind::top_followers ||
                             selector.kind == AuthorSelector::Kind::random;
        authors += counted ? selector.amount : 1;
    }
    return authors;
}

// The mean over accounts of the most items a session shows.
double mean_depth(const Model& model) {
    double total = 0;
    double weight = 0;
    for (const auto& segment : model.segments) {
        const Distribution& depth = segment.feed_depth;
        const double deepest =
            depth.per == Distribution::Per::event ? depth.largest() : depth.expected();
        const double share =
            segment.count > 0 ? static_cast<double>(segment.count) : std::max(segment.share, 0.0);
        total += share * deepest;
        weight += share;
    }
    return weight > 0 ? total / weight : 0;
}

}  // namespace

std::uint64_t MemoryEstimate::peak_bytes() const {
    return std::max({build_bytes, simulate_bytes, summary_bytes});
}

MemoryEstimate estimate_run_memory(const Model& model, const RunSize& size) {
    const auto accounts = static_cast<double>(size.accounts);
    const auto follows = static_cast<double>(size.follows);
    const auto replicates = static_cast<double>(size.replicates);
    const auto threads = static_cast<double>(size.threads);
    const double posts = expected_posts(model, accounts);
    const bool star = model.is_star();
    const bool cascades = !star && model.retweets.has_value();

    double graph = star ? 0 : graph_bytes(accounts, follows);
    if (cascades) {
        graph += bytes_per_offset * (accounts + 1) + bytes_per_index * follows;  // followers index
    }
    const double world = graph + account_parameter_bytes * accounts +
                         bytes_per_index * static_cast<double>(size.tracked_followers);

    // One replicate: post times by author; its record (per tracked post and follower, per account
    // for graphs), kept for the summary.
    const double tracked_posts =
        star ? posts : tracked_authors(model) * posts / std::max(accounts, 1.0);
    const double per_account_record = star ? 0 : (cascades ? 40 : 24) * accounts;
    // Per tracked follower: posts seen, impressions, and a bit per calendar day of the run.
    const double day_words = std::ceil(model.duration_seconds / seconds_per_day + 1) / 64;
    const double record =
        sizeof(PostRecord) * tracked_posts + per_account_record +
        (16 + 8 * std::ceil(day_words)) * static_cast<double>(size.tracked_followers);
    double working = star ? 0 : 8 * posts + bytes_per_offset * accounts;
    if (!star && !cascades) {
        working += threads * 16 * accounts;  // per-thread counts by author
    }
    if (cascades) {
        // Every account's feed — its entries within reach, up to twice over before sunk ones are
        // dropped — inbox, seen posts and decision stream; per-thread counts; the original items
        // and the posts' appeal, author and time rank.
        const double entries = static_cast<double>(Feed::compact_after) + 2 * mean_depth(model);
        working +=
            (sizeof(Feed) + sizeof(RandomStream) + 3 * 24.0 + 8 * 4 + entries * sizeof(FeedEntry)) *
                accounts +
            threads * 32 * accounts + (sizeof(FeedItem) + 12) * posts +
            bytes_per_index * follows * posts / std::max(accounts, 1.0);  // posts seen
    }
    // Stars simulate replicates side by side; graphs one after another, each in parallel.
    const double simultaneous = star ? std::min(threads, replicates) : 1;
    const double records = replicates * record;

    MemoryEstimate estimate;
    double build = world;
    if (model.audience.is_generated()) {
        build = std::max(build, generation_bytes(model, accounts, follows));
    }
    estimate.build_bytes = static_cast<std::uint64_t>(baseline_bytes + build);
    estimate.simulate_bytes =
        static_cast<std::uint64_t>(baseline_bytes + world + records + simultaneous * working);
    // The accounts table (and graph statistics' degree lists), the largest column being written.
    // Per tracked follower: its row, with counts per week and month.
    const double summary = (star ? 0 : (40 + 16) * accounts) +
                           (48 + 8 * (model.duration_seconds / seconds_per_week + 2) +
                            8 * (model.duration_seconds / (28 * seconds_per_day) + 2)) *
                               static_cast<double>(size.tracked_followers);
    estimate.summary_bytes = static_cast<std::uint64_t>(baseline_bytes + world + records + summary +
                                                        8 * std::max(accounts, tracked_posts));
    return estimate;
}

double estimated_events(const Model& model, const RunSize& size) {
    const auto accounts = static_cast<double>(size.accounts);
    const double days = (std::isfinite(model.follow_up_seconds) ? model.horizon_seconds()
                                                                : model.duration_seconds) /
                        seconds_per_day;
    const double posts = expected_posts(model, accounts);
    double sessions_per_day = 0;
    double weight = 0;
    for (const auto& segment : model.segments) {
        const double share =
            segment.count > 0 ? static_cast<double>(segment.count) : std::max(segment.share, 0.0);
        sessions_per_day += share * segment.sessions_per_day.expected();
        weight += share;
    }
    sessions_per_day = weight > 0 ? sessions_per_day / weight : 0;
    const double deliveries =
        model.is_star() ? posts * static_cast<double>(size.tracked_followers)
                        : static_cast<double>(size.follows) * posts / std::max(accounts, 1.0);
    return static_cast<double>(size.replicates) * (deliveries + accounts * sessions_per_day * days);
}

void check_run_work(double events, const Model& model, const std::string& scenario_path) {
    if (events <= most_events) {
        return;
    }
    char estimate[32];
    std::snprintf(estimate, sizeof estimate, "%.2g", events);
    throw input_error({scenario_path, 0}, "",
                      std::string("the run would resolve an estimated ") + estimate +
                          " deliveries and sessions, more than 1e13 (days of computing): it "
                          "grows with " +
                          (model.is_star() ? "followers.count" : "graph.accounts") +
                          ", the posting and session rates, simulation.duration and follow_up, "
                          "and simulation.replicates");
}

void check_run_memory(const MemoryEstimate& estimate, std::uint64_t limit_bytes, const Model& model,
                      const std::string& scenario_path) {
    const std::uint64_t limit = limit_bytes == 0 ? physical_memory_bytes() : limit_bytes;
    if (estimate.peak_bytes() <= limit) {
        return;
    }
    const std::string drivers = model.is_star()
                                    ? "followers.count and simulation.replicates"
                                    : "graph.accounts, graph.mean_following (or the edge list), "
                                      "simulation.replicates and --threads";
    throw input_error({scenario_path, 0}, "",
                      "the run needs an estimated " + format_bytes(estimate.peak_bytes()) +
                          " at its peak, more than the limit of " + format_bytes(limit) +
                          " (this machine's memory, or --memory-limit); it grows with " + drivers);
}

}  // namespace reachsim
