// Every account's own parameters: its segment, its rates and scroll depth drawn from the segment's
// distributions (or given by an attribute file), and the rhythms of its segment in its time zone.
// Drawn once per scenario and seed, shared by all replicates. In a star, account 0 is the author
// and accounts 1..N its followers, segment by segment.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "activity/rate_schedule.hpp"
#include "model/model.hpp"

namespace reachsim {

using SegmentIndex = std::uint16_t;
// A star's author belongs to no segment.
inline constexpr SegmentIndex no_segment = std::numeric_limits<SegmentIndex>::max();

// Per-account values given by an attribute file; empty where the segment's distribution applies.
struct AccountAttributes {
    std::vector<std::optional<std::string>> segment;
    std::vector<std::optional<double>> utc_offset_hours;
    std::vector<std::optional<double>> posts_per_day;
    std::vector<std::optional<double>> sessions_per_day;
    std::vector<std::optional<double>> feed_depth;
    std::vector<std::optional<double>> retweet_probability;
    std::vector<std::optional<double>> notification_share;  // of the account's follows
};

// Assigns segments: accounts named in `attributes` keep theirs; the others are dealt out at random
// in proportion to the segments' shares (or counts). Throws input_error for an unknown segment name
// in the attribute file (named by `attribute_path`).
std::vector<SegmentIndex> assign_segments(const std::vector<AccountSegment>& segments,
                                          std::size_t accounts, const AccountAttributes* attributes,
                                          std::uint64_t seed, const std::string& attribute_path);

// A star's segments: the author (no_segment), then each segment's followers in order.
std::vector<SegmentIndex> star_segments(const std::vector<AccountSegment>& segments);

// The rhythms of one (segment, UTC offset) combination at unit rate (one event per active day); an
// account's own rate scales them.
struct ActivityShapes {
    SegmentIndex segment = 0;
    double utc_offset_hours = 0;
    const Posting* posting = nullptr;  // the segment's, or a star author's
    RateSchedule posting_rhythm;       // Poisson posting; unused for schedules
    RateSchedule sessions;
    RateSchedule background;
};

struct Accounts {
    std::vector<SegmentIndex> segment;
    std::vector<std::uint16_t> shapes;  // index into `shape_table`
    std::vector<float> posts_per_day;
    std::vector<float> sessions_per_day;
    std::vector<std::uint32_t> feed_depth;  // per-account depth, or the deepest a session can reach
    std::vector<float> retweet_probability;
    // notifications.share per account, when an attribute file gives any (else empty: by segment).
    std::vector<float> notification_share;
    std::vector<ActivityShapes> shape_table;
    std::vector<double> background_per_day;  // by segment

    [[nodiscard]] std::size_t size() const { return segment.size(); }
    [[nodiscard]] const ActivityShapes& shapes_of(std::size_t a) const {
        return shape_table[shapes[a]];
    }
    [[nodiscard]] double utc_offset_hours(std::size_t a) const {
        return shapes_of(a).utc_offset_hours;
    }
};

Accounts make_accounts(const Model& model, std::vector<SegmentIndex> segments,
                       const AccountAttributes* attributes, std::uint64_t seed);

}  // namespace reachsim
