// Every account's own parameters: segments dealt out exactly, values drawn from the segment's
// distributions (or taken from the attribute file), a star's layout.
#include <catch2/catch.hpp>

#include <cmath>

#include "activity/accounts.hpp"
#include "core/apportion.hpp"
#include "core/errors.hpp"
#include "random/random_stream.hpp"

using namespace reachsim;
using Catch::Matchers::Contains;

namespace {

AccountSegment segment(const std::string& name, double share) {
    AccountSegment s;
    s.name = name;
    s.share = share;
    s.posting = PoissonPosting{Distribution::fixed_at(1), {}};
    s.sessions_per_day = Distribution::fixed_at(3);
    s.feed_depth = Distribution::fixed_at(200);
    s.retweet_probability = Distribution::fixed_at(0);
    return s;
}

Model graph_model(std::vector<AccountSegment> segments) {
    Model model;
    model.audience.source = ErdosRenyiGenerator{1000, 5};
    model.segments = std::move(segments);
    return model;
}

}  // namespace

TEST_CASE("segments are dealt in exact proportions, and the attribute file's segments are kept") {
    const std::vector<AccountSegment> segments{segment("a", 0.3), segment("b", 0.7)};
    AccountAttributes attributes;
    attributes.segment.assign(10, std::nullopt);
    attributes.segment[0] = "b";
    const auto assigned = assign_segments(segments, 10, &attributes, 3, "accounts.csv");
    CHECK(assigned[0] == 1);
    // The 9 others: 0.3 x 9 = 2.7 -> 3 in a, 6 in b (largest remainder).
    CHECK(std::count(assigned.begin(), assigned.end(), SegmentIndex{0}) == 3);
    CHECK(std::count(assigned.begin(), assigned.end(), SegmentIndex{1}) == 7);
    CHECK(assign_segments(segments, 10, &attributes, 3, "accounts.csv") == assigned);
    attributes.segment[1] = "c";
    CHECK_THROWS_WITH(assign_segments(segments, 10, &attributes, 3, "accounts.csv"),
                      Contains("accounts.csv") && Contains("segment 'c'"));
}

TEST_CASE("segments are dealt by a plain seeded Fisher-Yates shuffle, whatever the look-ahead") {
    // The shuffle draws its swaps ahead of making them; the assignment must be the one the plain
    // shuffle gives, for sizes on both sides of the look-ahead distance and a large one.
    const std::vector<AccountSegment> segments{segment("a", 0.25), segment("b", 0.35),
                                               segment("c", 0.4)};
    for (const std::size_t accounts :
         {1UL, 2UL, 3UL, 15UL, 16UL, 17UL, 18UL, 19UL, 40UL, 100000UL}) {
        std::vector<std::size_t> order(accounts);
        for (std::size_t a = 0; a < accounts; ++a) {
            order[a] = a;
        }
        RandomStream random({11, 0, StreamKind::segment_assignment, 0});
        for (std::size_t i = accounts; i > 1; --i) {
            std::swap(order[i - 1], order[random.below(i)]);
        }
        const auto counts =
            largest_remainder({0.25, 0.35, 0.4}, static_cast<std::int64_t>(accounts));
        std::vector<SegmentIndex> expected(accounts);
        std::size_t next = 0;
        for (std::size_t s = 0; s < segments.size(); ++s) {
            for (std::int64_t k = 0; k < counts[s]; ++k) {
                expected[order[next++]] = static_cast<SegmentIndex>(s);
            }
        }
        INFO(accounts << " accounts");
        CHECK(assign_segments(segments, accounts, nullptr, 11, "") == expected);
    }
}

TEST_CASE("each account draws its own values; the attribute file's values win") {
    AccountSegment people = segment("people", 1.0);
    people.sessions_per_day.kind = Distribution::Kind::lognormal;
    people.sessions_per_day.mean = 4;
    people.sessions_per_day.sigma = 0.5;
    people.feed_depth.kind = Distribution::Kind::geometric;  // per session: the cap is kept
    people.feed_depth.mean = 50;
    people.feed_depth.cap = 500;
    people.feed_depth.per = Distribution::Per::event;
    const Model model = graph_model({people});
    const std::size_t count = 20000;
    AccountAttributes attributes;
    attributes.segment.assign(count, std::nullopt);
    attributes.utc_offset_hours.assign(count, std::nullopt);
    attributes.posts_per_day.assign(count, std::nullopt);
    attributes.sessions_per_day.assign(count, std::nullopt);
    attributes.feed_depth.assign(count, std::nullopt);
    attributes.retweet_probability.assign(count, std::nullopt);
    attributes.sessions_per_day[0] = 11;
    attributes.utc_offset_hours[1] = 5.5;
    attributes.utc_offset_hours[3] = 5.5;  // between accounts at the segment's own offset
    const Accounts accounts =
        make_accounts(model, std::vector<SegmentIndex>(count, 0), &attributes, 8);
    CHECK(accounts.sessions_per_day[0] == 11);
    CHECK(accounts.utc_offset_hours(1) == 5.5);
    CHECK(accounts.utc_offset_hours(2) == 0);
    CHECK(accounts.utc_offset_hours(3) == 5.5);
    CHECK(accounts.utc_offset_hours(4) == 0);
    CHECK(accounts.shape_table.size() == 2);
    double sum = 0;
    for (std::size_t a = 1; a < count; ++a) {
        sum += accounts.sessions_per_day[a];
        CHECK(accounts.feed_depth[a] == 500);
    }
    // Lognormal with mean 4: sd = 4 sqrt(exp(0.25) - 1) = 2.13; 5 standard errors.
    CHECK(std::abs(sum / (count - 1) - 4) < 5 * 2.13 / std::sqrt(count - 1.0));
}

TEST_CASE("a star's accounts: the author first, in no segment, then each segment's followers") {
    std::vector<AccountSegment> segments{segment("UK", -1), segment("US", -1)};
    segments[0].count = 2;
    segments[1].count = 3;
    CHECK(star_segments(segments) == std::vector<SegmentIndex>{no_segment, 0, 0, 1, 1, 1});
    Model model;
    model.audience.source =
        StarAudience{"author", 1.0, PoissonPosting{Distribution::fixed_at(2), {}}};
    model.segments = segments;
    const Accounts accounts = make_accounts(model, star_segments(segments), nullptr, 1);
    CHECK(accounts.posts_per_day[0] == 2);
    CHECK(accounts.utc_offset_hours(0) == 1.0);
    CHECK(accounts.sessions_per_day[0] == 0);  // the author does not look
    CHECK(accounts.sessions_per_day[1] == 3);
}
