// Every account's own parameters in a graph scenario: its segment, its rates and depth drawn from
// the segment's distributions (or given by the attribute file), and the shapes of its rhythms in
// its time zone. Drawn once per scenario and seed, shared by all replicates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "activity/rate_schedule.hpp"
#include "model/graph_model.hpp"

namespace reachsim {

double draw(const Distribution& distribution, RandomStream& random);

// Assigns segments: accounts named in `attributes` keep theirs; the others are dealt out at
// random in proportion to the segments' shares (or counts). Throws input_error for an unknown
// segment name in the attribute file.
std::vector<std::uint16_t> assign_segments(const std::vector<AccountSegment>& segments,
                                           std::size_t accounts,
                                           const AccountAttributes* attributes, std::uint64_t seed,
                                           const std::string& attribute_path);

// Unit-rate rhythms (one event per active day) of one (segment, UTC offset) combination; an
// account's own rate scales them.
struct ActivityShapes {
    std::uint16_t segment = 0;
    double utc_offset_hours = 0;
    RateSchedule posting;
    RateSchedule sessions;
    RateSchedule extra_feed;
};

struct Accounts {
    std::vector<std::uint16_t> segment;
    std::vector<std::uint16_t> shapes;  // index into `shape_table`
    std::vector<float> posts_per_day;
    std::vector<float> sessions_per_day;
    std::vector<std::uint32_t> feed_depth;
    std::vector<float> retweet_probability;
    std::vector<ActivityShapes> shape_table;
    std::vector<double> extra_feed_per_day;  // by segment

    [[nodiscard]] std::size_t size() const { return segment.size(); }
    [[nodiscard]] double utc_offset_hours(std::size_t a) const {
        return shape_table[shapes[a]].utc_offset_hours;
    }
};

Accounts make_accounts(const GraphModel& model, std::vector<std::uint16_t> segments,
                       const AccountAttributes* attributes, std::uint64_t seed);

}  // namespace reachsim
