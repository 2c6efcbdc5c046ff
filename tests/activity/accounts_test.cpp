// Every account's own parameters: segments dealt out exactly, values drawn from the segment's
// distributions (or taken from the attribute file), a star's layout.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "activity/accounts.hpp"
#include "core/apportion.hpp"
#include "core/errors.hpp"

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

TEST_CASE("segments are dealt uniformly at random: each account's and each pair's chances") {
    // 3 of 10 accounts in segment a, 7 in b, dealt over many seeds. A uniformly random deal puts
    // each account in a with probability 3/10, and two given accounts both in a with probability
    // 3/10 x 2/9 = 1/15 (independent draws would give 9/100). Each frequency over `deals` seeds
    // is binomial; 5 sd bounds it.
    const std::vector<AccountSegment> segments{segment("a", 0.3), segment("b", 0.7)};
    constexpr std::size_t accounts = 10;
    constexpr std::uint64_t deals = 40000;
    std::vector<double> in_a(accounts, 0.0);
    double first_and_last_in_a = 0;
    for (std::uint64_t seed = 1; seed <= deals; ++seed) {
        const auto assigned = assign_segments(segments, accounts, nullptr, seed, "");
        REQUIRE(std::count(assigned.begin(), assigned.end(), SegmentIndex{0}) == 3);
        for (std::size_t a = 0; a < accounts; ++a) {
            in_a[a] += assigned[a] == 0 ? 1 : 0;
        }
        first_and_last_in_a += assigned.front() == 0 && assigned.back() == 0 ? 1 : 0;
    }
    auto check_frequency = [&](double count, double p, const std::string& what) {
        const auto n = static_cast<double>(deals);
        INFO(what << ": " << count << " of " << deals << ", expected " << n * p);
        CHECK(std::abs(count - n * p) < 5 * std::sqrt(n * p * (1 - p)));
    };
    for (std::size_t a = 0; a < accounts; ++a) {
        check_frequency(in_a[a], 0.3, "account " + std::to_string(a) + " in a");
    }
    check_frequency(first_and_last_in_a, 1.0 / 15, "accounts 0 and 9 both in a");
}

TEST_CASE("accounts the segments have no places for stay without a segment") {
    CHECK(assign_segments({}, 5, nullptr, 1, "") == std::vector<SegmentIndex>(5, no_segment));
    // Shares summing to zero: largest_remainder still hands out one place per segment.
    const std::vector<AccountSegment> unshared{segment("a", 0.0), segment("b", 0.0)};
    const auto places = largest_remainder({0.0, 0.0}, 5);
    const auto assigned = assign_segments(unshared, 5, nullptr, 1, "");
    CHECK(std::count(assigned.begin(), assigned.end(), SegmentIndex{0}) == places[0]);
    CHECK(std::count(assigned.begin(), assigned.end(), SegmentIndex{1}) == places[1]);
    CHECK(std::count(assigned.begin(), assigned.end(), no_segment) == 5 - places[0] - places[1]);
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
