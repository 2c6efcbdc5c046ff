#include "activity/accounts.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/apportion.hpp"
#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "random/draw.hpp"

namespace reachsim {
namespace {

// One posting rhythm at one post per active day: a Poisson posting's own, or none (flat) for a
// schedule, which does not use it.
Rhythm posting_rhythm(const Posting& posting) {
    if (const auto* poisson = std::get_if<PoissonPosting>(&posting)) {
        return poisson->rhythm;
    }
    return {};
}

// The distribution of an account's posts per active day; schedules post by clock instead.
Distribution posts_per_day(const Posting& posting) {
    if (const auto* poisson = std::get_if<PoissonPosting>(&posting)) {
        return poisson->per_day;
    }
    return Distribution::fixed_at(0);
}

}  // namespace

std::vector<SegmentIndex> assign_segments(const std::vector<AccountSegment>& segments,
                                          std::size_t accounts, const AccountAttributes* attributes,
                                          std::uint64_t seed, const std::string& attribute_path) {
    std::vector<SegmentIndex> segment(accounts, no_segment);
    std::size_t free_accounts = 0;  // those the attribute file leaves without a segment
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
            segment[a] = static_cast<SegmentIndex>(found - segments.begin());
        } else {
            ++free_accounts;
        }
    }
    std::vector<double> shares;
    for (const auto& s : segments) {
        shares.push_back(s.share >= 0 ? s.share : static_cast<double>(s.count));
    }
    std::vector<std::int64_t> places_left =
        largest_remainder(shares, static_cast<std::int64_t>(free_accounts));
    // The places add up to the free accounts, unless there are no segments or their shares sum to
    // zero: the accounts left over stay without a segment, dealt as a segment of their own.
    places_left.push_back(static_cast<std::int64_t>(free_accounts) -
                          std::accumulate(places_left.begin(), places_left.end(), std::int64_t{0}));
    // Each free account in turn takes a segment with probability its places left over the
    // accounts left: a uniformly random assignment with these counts, as dealing a shuffled deck
    // would be, in one pass without the shuffle's random swaps (2 s at Twitter-2010 scale).
    RandomStream random({seed, 0, StreamKind::segment_assignment, 0});
    std::uint64_t accounts_left = free_accounts;
    for (std::size_t a = 0; a < accounts; ++a) {
        if (segment[a] != no_segment) {
            continue;
        }
        auto place = static_cast<std::int64_t>(random.below(accounts_left));
        std::size_t s = 0;
        while (place >= places_left[s]) {
            place -= places_left[s];
            ++s;
        }
        --places_left[s];
        --accounts_left;
        segment[a] = s < segments.size() ? static_cast<SegmentIndex>(s) : no_segment;
    }
    return segment;
}

std::vector<SegmentIndex> star_segments(const std::vector<AccountSegment>& segments) {
    std::vector<SegmentIndex> segment{no_segment};
    for (std::size_t s = 0; s < segments.size(); ++s) {
        segment.insert(segment.end(), static_cast<std::size_t>(segments[s].count),
                       static_cast<SegmentIndex>(s));
    }
    return segment;
}

Accounts make_accounts(const Model& model, std::vector<SegmentIndex> segments,
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
        accounts.background_per_day.push_back(segment.background_per_hour * hours_per_day);
    }
    const auto* star = std::get_if<StarAudience>(&model.audience.source);
    // One set of unit rhythms per (segment, UTC offset) in use.
    std::map<std::pair<SegmentIndex, double>, std::uint16_t> shape_index;
    // Each segment's shape at its own UTC offset, once found: most accounts take it, and a map
    // lookup per account took seconds at Twitter-2010 scale.
    constexpr int not_found = -1;
    std::vector<int> segment_shape(model.segments.size(), not_found);
    const Rhythm flat_everyday{{"flat", {}}, {}};
    for (std::size_t a = 0; a < count; ++a) {
        const SegmentIndex s = accounts.segment[a];
        const bool own_offset = attributes && attributes->utc_offset_hours[a];
        if (s != no_segment && !own_offset && segment_shape[s] != not_found) {
            accounts.shapes[a] = static_cast<std::uint16_t>(segment_shape[s]);
            continue;
        }
        double offset =
            s == no_segment ? star->author_utc_offset_hours : model.segments[s].utc_offset_hours;
        if (own_offset) {
            offset = *attributes->utc_offset_hours[a];
        }
        auto [it, inserted] =
            shape_index.try_emplace({s, offset}, static_cast<std::uint16_t>(shape_index.size()));
        if (inserted) {
            const std::int64_t start = model.start_unix_seconds;
            if (s == no_segment) {
                // A star's author: posts by its own posting, never looks.
                accounts.shape_table.push_back(
                    {s, offset, &star->author_posting,
                     RateSchedule(posting_rhythm(star->author_posting), 1, offset, start),
                     RateSchedule(flat_everyday, 0, offset, start),
                     RateSchedule(flat_everyday, 0, offset, start)});
            } else {
                const AccountSegment& segment = model.segments[s];
                accounts.shape_table.push_back(
                    {s, offset, &segment.posting,
                     RateSchedule(posting_rhythm(segment.posting), 1, offset, start),
                     RateSchedule(segment.sessions, 1, offset, start),
                     RateSchedule(segment.background, 1, offset, start)});
            }
        }
        accounts.shapes[a] = it->second;
        if (s != no_segment && !own_offset) {
            segment_shape[s] = it->second;
        }
    }
    parallel_for_each_index(0, count, [&](std::size_t a) {
        const SegmentIndex s = accounts.segment[a];
        RandomStream random(
            {seed, 0, StreamKind::account_parameters, static_cast<std::uint32_t>(a)});
        if (s == no_segment) {
            accounts.posts_per_day[a] =
                static_cast<float>(draw(posts_per_day(star->author_posting), random));
            return;
        }
        const AccountSegment& segment = model.segments[s];
        // Always draw every value, so that a value from the file does not shift the others' draws.
        double posts = draw(posts_per_day(segment.posting), random);
        double sessions = draw(segment.sessions_per_day, random);
        double depth = segment.feed_depth.per == Distribution::Per::account
                           ? draw(segment.feed_depth, random)
                           : segment.feed_depth.largest();
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
    const bool shares_given =
        attributes != nullptr &&
        std::any_of(attributes->notification_share.begin(), attributes->notification_share.end(),
                    [](const std::optional<double>& share) { return share.has_value(); });
    if (shares_given) {
        accounts.notification_share.resize(count);
        for (std::size_t a = 0; a < count; ++a) {
            const SegmentIndex s = accounts.segment[a];
            const double share = s == no_segment ? 0.0 : model.segments[s].notifications.share;
            accounts.notification_share[a] =
                static_cast<float>(attributes->notification_share[a].value_or(share));
        }
    }
    return accounts;
}

}  // namespace reachsim
