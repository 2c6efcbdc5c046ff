#include "activity/accounts.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/apportion.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"

namespace reachsim {

double draw(const Distribution& distribution, RandomStream& random) {
    switch (distribution.kind) {
        case Distribution::Kind::fixed:
            return distribution.value;
        case Distribution::Kind::lognormal: {
            const double sigma = distribution.sigma;
            const double mu = std::log(distribution.mean) - sigma * sigma / 2;
            return std::exp(mu + sigma * random.standard_normal());
        }
        case Distribution::Kind::empirical:
            return distribution.values[random.below(distribution.values.size())];
    }
    throw internal_error("draw: unknown distribution kind");
}

std::vector<std::uint16_t> assign_segments(const std::vector<AccountSegment>& segments,
                                           std::size_t accounts,
                                           const AccountAttributes* attributes, std::uint64_t seed,
                                           const std::string& attribute_path) {
    constexpr std::uint16_t unassigned = std::numeric_limits<std::uint16_t>::max();
    std::vector<std::uint16_t> segment(accounts, unassigned);
    std::vector<std::size_t> free_accounts;
    for (std::size_t a = 0; a < accounts; ++a) {
        if (attributes && attributes->segment[a]) {
            const auto& name = *attributes->segment[a];
            const auto found =
                std::find_if(segments.begin(), segments.end(),
                             [&](const AccountSegment& s) { return s.name == name; });
            if (found == segments.end()) {
                throw input_error(
                    {attribute_path, 0}, "segment",
                    "segment '" + name + "' is not defined under [[accounts.segment]]");
            }
            segment[a] = static_cast<std::uint16_t>(found - segments.begin());
        } else {
            free_accounts.push_back(a);
        }
    }
    std::vector<double> shares;
    for (const auto& s : segments) {
        shares.push_back(s.share >= 0 ? s.share : static_cast<double>(s.count));
    }
    const auto counts = largest_remainder(shares, static_cast<std::int64_t>(free_accounts.size()));
    // A seeded Fisher-Yates shuffle decides which free accounts go where.
    RandomStream random({seed, 0, StreamKind::segment_assignment, 0});
    for (std::size_t i = free_accounts.size(); i > 1; --i) {
        std::swap(free_accounts[i - 1], free_accounts[random.below(i)]);
    }
    std::size_t next = 0;
    for (std::size_t s = 0; s < segments.size(); ++s) {
        for (std::int64_t k = 0; k < counts[s]; ++k) {
            segment[free_accounts[next++]] = static_cast<std::uint16_t>(s);
        }
    }
    return segment;
}

Accounts make_accounts(const GraphModel& model, std::vector<std::uint16_t> segments,
                       const AccountAttributes* attributes, std::uint64_t seed) {
    Accounts accounts;
    const std::size_t count = segments.size();
    accounts.segment = std::move(segments);
    accounts.shapes.resize(count);
    accounts.posts_per_day.resize(count);
    accounts.sessions_per_day.resize(count);
    accounts.feed_depth.resize(count);
    accounts.retweet_probability.resize(count);
    for (const auto& segment : model.segments) {
        accounts.extra_feed_per_day.push_back(segment.extra_feed_per_hour * hours_per_day);
    }
    // One set of unit rhythms per (segment, UTC offset) in use.
    std::map<std::pair<std::uint16_t, double>, std::uint16_t> shape_index;
    for (std::size_t a = 0; a < count; ++a) {
        const std::uint16_t s = accounts.segment[a];
        double offset = model.segments[s].utc_offset_hours;
        if (attributes && attributes->utc_offset_hours[a]) {
            offset = *attributes->utc_offset_hours[a];
        }
        auto [it, inserted] =
            shape_index.try_emplace({s, offset}, static_cast<std::uint16_t>(shape_index.size()));
        if (inserted) {
            const AccountSegment& segment = model.segments[s];
            accounts.shape_table.push_back(
                {s, offset, RateSchedule(segment.posting, offset, model.start_unix_seconds),
                 RateSchedule(segment.sessions, offset, model.start_unix_seconds),
                 RateSchedule(segment.extra_feed, offset, model.start_unix_seconds)});
        }
        accounts.shapes[a] = it->second;
    }
    parallel_for_each_index(0, count, [&](std::size_t a) {
        const AccountSegment& segment = model.segments[accounts.segment[a]];
        RandomStream random(
            {seed, 0, StreamKind::account_parameters, static_cast<std::uint32_t>(a)});
        // Always draw every value, so that a value from the file does not shift the others' draws.
        double posts = draw(segment.posts_per_day, random);
        double sessions = draw(segment.sessions_per_day, random);
        double depth = draw(segment.feed_depth, random);
        double retweet = draw(segment.retweet_probability, random);
        if (attributes) {
            posts = attributes->posts_per_day[a].value_or(posts);
            sessions = attributes->sessions_per_day[a].value_or(sessions);
            depth = attributes->feed_depth[a].value_or(depth);
            retweet = attributes->retweet_probability[a].value_or(retweet);
        }
        accounts.retweet_probability[a] = static_cast<float>(std::min(1.0, retweet));
        accounts.posts_per_day[a] = static_cast<float>(posts);
        accounts.sessions_per_day[a] = static_cast<float>(sessions);
        accounts.feed_depth[a] = static_cast<std::uint32_t>(std::max(1.0, std::round(depth)));
    });
    return accounts;
}

}  // namespace reachsim
