// Generator tests. Tolerances are 5 standard deviations of the statistic under the model,
// derived next to each check; a correct generator fails one with probability < 1e-6.
#include <catch2/catch.hpp>

#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/errors.hpp"
#include "graph/generators.hpp"
#include "graph/graph_summary.hpp"

using namespace reachsim;
using Catch::Matchers::Contains;

namespace {

constexpr double tolerance_in_standard_deviations = 5.0;
constexpr std::uint64_t no_limit = 0;

std::vector<std::uint16_t> two_segments(std::size_t accounts, double first_share) {
    std::vector<std::uint16_t> segment(accounts, 1);
    for (std::size_t a = 0;
         a < static_cast<std::size_t>(first_share * static_cast<double>(accounts)); ++a) {
        segment[a] = 0;
    }
    return segment;
}

GeneratedGraph generate(const Audience& spec, std::uint64_t seed = 9, int threads = 2) {
    const auto accounts = generator_accounts(spec.source);
    tbb::task_arena arena(threads);
    GeneratedGraph generated;
    arena.execute(
        [&] { generated = generate_graph(spec, two_segments(accounts, 0.3), 2, seed, no_limit); });
    return generated;
}

bool same_graph(const FollowerGraph& a, const FollowerGraph& b) {
    if (a.account_count() != b.account_count() || a.follow_count() != b.follow_count()) {
        return false;
    }
    for (AccountIndex i = 0; i < a.account_count(); ++i) {
        const auto x = a.followees_of(i);
        const auto y = b.followees_of(i);
        if (!std::equal(x.begin(), x.end(), y.begin(), y.end())) {
            return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("alias table: draws in proportion to the weights") {
    // Each range of indices is drawn Binomial(draws, its share of the weight) times (over a
    // thousand draws each, where 5 sd bounds it as in the other checks); the weights fall with the
    // index (as a generated graph's do) or are equal.
    const std::size_t n = 300000;
    const std::vector<std::pair<std::size_t, std::size_t>> ranges{
        {0, 100}, {100, 1000}, {1000, 10000}, {10000, 100000}, {100000, n}};
    for (const bool falling : {true, false}) {
        std::vector<double> weights(n);
        for (std::size_t i = 0; i < n; ++i) {
            weights[i] = falling ? std::pow(static_cast<double>(i + 1), -0.8) : 1.0;
        }
        const AliasTable table(weights);
        const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
        constexpr std::uint64_t draws = 4000000;
        std::vector<std::uint64_t> counts(ranges.size(), 0);
        RandomStream random({17, 0, StreamKind::graph_generation, 0});
        for (std::uint64_t k = 0; k < draws; ++k) {
            const std::size_t index = table.sample(random);
            for (std::size_t r = 0; r < ranges.size(); ++r) {
                counts[r] += index >= ranges[r].first && index < ranges[r].second ? 1 : 0;
            }
        }
        for (std::size_t r = 0; r < ranges.size(); ++r) {
            const double share =
                std::accumulate(weights.begin() + static_cast<std::ptrdiff_t>(ranges[r].first),
                                weights.begin() + static_cast<std::ptrdiff_t>(ranges[r].second),
                                0.0) /
                total;
            const double expected = share * static_cast<double>(draws);
            const double sd = std::sqrt(expected * (1 - share));
            INFO((falling ? "falling" : "equal")
                 << " weights, indices [" << ranges[r].first << ", " << ranges[r].second
                 << "): expected " << expected << " ± " << sd << ", drawn " << counts[r]);
            CHECK(std::abs(static_cast<double>(counts[r]) - expected) <
                  tolerance_in_standard_deviations * sd);
        }
    }
}

TEST_CASE("power law: following counts have the requested mean") {
    // Each account draws round(L) follows, L lognormal with mean m and log-sd s (stochastic
    // rounding keeps the mean). Var(L) = m^2 (e^{s^2} - 1), plus at most 1/4 for the rounding;
    // the mean over N accounts has sd sqrt(Var / N). Drawn follows are kept follows plus the
    // duplicates and self-loops dropped.
    const double m = 30;
    const double s = 1.0;
    const std::uint64_t accounts = 50000;
    const auto generated = generate({PowerLawGenerator{accounts, m, s, 2.5}, 0, std::nullopt});
    const double drawn =
        static_cast<double>(generated.graph.follow_count() + generated.cleanup.duplicates +
                            generated.cleanup.self_loops);
    const double variance = m * m * (std::exp(s * s) - 1) + 0.25;
    const double sd_of_mean = std::sqrt(variance / static_cast<double>(accounts));
    CHECK(std::abs(drawn / static_cast<double>(accounts) - m) <
          tolerance_in_standard_deviations * sd_of_mean);
}

TEST_CASE("power law: follower counts have a power-law tail with the requested exponent") {
    // Follower weights are Pareto with density ~ w^-alpha, so P(followers > x) ~ x^-(alpha-1).
    // The Hill estimator over the top k follower counts estimates alpha - 1 with standard error
    // (alpha - 1) / sqrt(k). At the top 1% of 200,000 accounts, expected counts exceed 100, so
    // Poisson noise in the counts is small against the tail's spread.
    const double alpha = 2.5;
    const std::uint64_t accounts = 200000;
    const auto generated = generate({PowerLawGenerator{accounts, 20, 0.5, alpha}, 0, std::nullopt});
    std::vector<double> followers(generated.graph.follower_counts().begin(),
                                  generated.graph.follower_counts().end());
    std::sort(followers.begin(), followers.end(), std::greater<>());
    const std::size_t k = accounts / 100;
    double log_sum = 0;
    for (std::size_t i = 0; i < k; ++i) {
        log_sum += std::log(followers[i] / followers[k]);
    }
    const double tail_index = static_cast<double>(k) / log_sum;
    const double standard_error = (alpha - 1) / std::sqrt(static_cast<double>(k));
    INFO("Hill estimate " << tail_index << ", expected " << alpha - 1 << " ± " << standard_error);
    CHECK(std::abs(tail_index - (alpha - 1)) < tolerance_in_standard_deviations * standard_error);
}

TEST_CASE("Erdős–Rényi: binomial following counts and chance reciprocity") {
    // Following ~ Binomial(N-1, m/(N-1)): the mean over N accounts has sd ~ sqrt(m / N).
    // Reciprocity is the chance that a follow is returned, m/(N-1), estimated over E follows.
    const double m = 20;
    const std::uint64_t accounts = 20000;
    const auto generated = generate({ErdosRenyiGenerator{accounts, m}, 0, std::nullopt});
    const auto summary = summarise_graph(generated.graph);
    const double mean =
        static_cast<double>(generated.graph.follow_count() + generated.cleanup.duplicates) /
        static_cast<double>(accounts);
    CHECK(std::abs(mean - m) <
          tolerance_in_standard_deviations * std::sqrt(m / static_cast<double>(accounts)));
    const double p = m / static_cast<double>(accounts - 1);
    const double follows = static_cast<double>(generated.graph.follow_count());
    CHECK(std::abs(summary.reciprocity - p) <
          tolerance_in_standard_deviations * std::sqrt(2 * p / follows));
}

TEST_CASE("reciprocity estimated from a stratified sample of follows") {
    // Above the exact limit, one follow is drawn from each of n equal runs of the follows array:
    // the estimate's standard error is at most that of n independent draws, sqrt(r (1 - r) / n).
    Audience spec{PowerLawGenerator{30000, 15, 1.0, 2.5}, 0, std::nullopt};
    spec.reciprocity = 0.3;
    const auto generated = generate(spec);
    const double exact = summarise_graph(generated.graph).reciprocity;
    const std::uint64_t follows = generated.graph.follow_count();
    // A sample as large as the graph takes every follow once: the exact share, to the last bit.
    const auto whole = summarise_graph(generated.graph, 0, follows);
    CHECK(whole.reciprocity_sample == follows);
    CHECK(whole.reciprocity == exact);
    for (const std::uint64_t n : {std::uint64_t{20000}, std::uint64_t{100000}}) {
        const auto sampled = summarise_graph(generated.graph, 0, n);
        CHECK(sampled.reciprocity_sample == n);
        const double standard_error = std::sqrt(exact * (1 - exact) / static_cast<double>(n));
        INFO("n = " << n << ": exact " << exact << ", sampled " << sampled.reciprocity);
        CHECK(std::abs(sampled.reciprocity - exact) <
              tolerance_in_standard_deviations * standard_error);
    }
}

TEST_CASE("reciprocity: the share of returned follows is as requested") {
    // Each not-yet-returned follow is returned with probability p = r / (2 - r): with B follows
    // returned in the base graph (the same seed without reciprocity) and E follows in all,
    // R ~ Binomial(E - B, p) are added and the share is (B + 2R) / (E + R). Its sd follows from
    // sd(R) = sqrt((E - B) p (1 - p)) times d share / dR = (2E - B) / (E + R)^2.
    for (double r : {0.22, 0.6}) {
        const Audience base{PowerLawGenerator{30000, 15, 1.0, 2.5}, 0, std::nullopt};
        Audience spec = base;
        spec.reciprocity = r;
        const auto base_graph = generate(base);
        const auto graph = generate(spec);
        const double e = static_cast<double>(base_graph.graph.follow_count());
        const double b = summarise_graph(base_graph.graph).reciprocity * e;
        const double p = r / (2 - r);
        const double expected_added = (e - b) * p;
        const double expected = (b + 2 * expected_added) / (e + expected_added);
        const double sd =
            std::sqrt((e - b) * p * (1 - p)) * (2 * e - b) / std::pow(e + expected_added, 2);
        const double measured = summarise_graph(graph.graph).reciprocity;
        INFO("target " << r << ": expected " << expected << " ± " << sd << ", measured "
                       << measured);
        CHECK(std::abs(measured - expected) < tolerance_in_standard_deviations * sd);
        CHECK(std::abs(measured - r) < 0.01);  // and the base graph's own reciprocity is negligible
    }
    // At r = 1 every follow is returned (p = 1: each gap between returned follows is 0).
    Audience all_returned{PowerLawGenerator{3000, 15, 1.0, 2.5}, 0, std::nullopt};
    all_returned.reciprocity = 1.0;
    CHECK(summarise_graph(generate(all_returned).graph).reciprocity == 1.0);
}

TEST_CASE("reciprocity adds only the reverses of drawn follows, into sorted rows of distinct ids") {
    // Against the same seed without reciprocity (the same drawn follows): every drawn follow is
    // kept, and every added one is the reverse of a drawn one. Three threads split the accounts
    // into blocks that are not a power of two; the graph is the one a single thread builds.
    const Audience base{PowerLawGenerator{20000, 12, 1.0, 2.3}, 0, std::nullopt};
    Audience spec = base;
    spec.reciprocity = 0.4;
    const auto drawn = generate(base).graph;
    const auto graph = generate(spec, 9, 3).graph;
    CHECK(same_graph(graph, generate(spec, 9, 1).graph));
    std::uint64_t added = 0;
    bool rows_sorted_and_distinct = true;
    bool drawn_kept = true;
    bool added_are_reverses = true;
    for (AccountIndex a = 0; a < graph.account_count(); ++a) {
        const auto row = graph.followees_of(a);
        const auto drawn_row = drawn.followees_of(a);
        rows_sorted_and_distinct &= std::adjacent_find(row.begin(), row.end(), [](auto x, auto y) {
                                        return x >= y;
                                    }) == row.end();
        drawn_kept &= std::includes(row.begin(), row.end(), drawn_row.begin(), drawn_row.end());
        for (AccountIndex b : row) {
            if (!std::binary_search(drawn_row.begin(), drawn_row.end(), b)) {
                ++added;
                const auto reverse = drawn.followees_of(b);
                added_are_reverses &= std::binary_search(reverse.begin(), reverse.end(), a);
            }
        }
    }
    CHECK(rows_sorted_and_distinct);
    CHECK(drawn_kept);
    CHECK(added_are_reverses);
    CHECK(added == graph.follow_count() - drawn.follow_count());
    CHECK(added > 0);
}

TEST_CASE("homophily: the share of follows inside the follower's segment is as requested") {
    // Each drawn follow stays in the follower's segment with probability h, independently:
    // over E follows the share has sd sqrt(h (1 - h) / E). Uniform weights (Erdős–Rényi) with
    // 100,000 accounts keep duplicates, which could bias it, below 1e-4 of follows.
    for (double h : {0.3, 0.8}) {
        const auto generated = generate({ErdosRenyiGenerator{100000, 20}, 0, h});
        const auto segment = two_segments(100000, 0.3);
        double inside = 0;
        for (AccountIndex a = 0; a < generated.graph.account_count(); ++a) {
            for (AccountIndex b : generated.graph.followees_of(a)) {
                inside += segment[a] == segment[b] ? 1 : 0;
            }
        }
        const double follows = static_cast<double>(generated.graph.follow_count());
        INFO("h = " << h << ", measured " << inside / follows);
        CHECK(std::abs(inside / follows - h) <
              tolerance_in_standard_deviations * std::sqrt(h * (1 - h) / follows));
    }
}

TEST_CASE("Price: each account follows earlier ones, in proportion to followers") {
    const std::uint32_t m = 5;
    const auto generated = generate({PriceGenerator{20000, m, 1.0}, 0, std::nullopt});
    const auto& graph = generated.graph;
    for (AccountIndex a = 0; a < graph.account_count(); ++a) {
        for (AccountIndex b : graph.followees_of(a)) {
            REQUIRE(b < a);
        }
    }
    // Account a follows min(m, a) earlier accounts: 1 + 2 + 3 + 4 for the first four, m after.
    const std::uint64_t drawn = (1 + 2 + 3 + 4) + (20000ull - m) * m;
    CHECK(graph.follow_count() + generated.cleanup.duplicates == drawn);
    CHECK(generated.cleanup.duplicates < drawn / 1000);
    // Preferential attachment: the oldest accounts collect far more followers than average.
    double early = 0;
    for (AccountIndex a = 0; a < 10; ++a) {
        early += graph.follower_count(a);
    }
    CHECK(early / 10 > 20 * static_cast<double>(m));
}

TEST_CASE("same seed, same graph, on any number of threads, and another seed, another graph") {
    const Audience spec{PowerLawGenerator{20000, 20, 1.0, 2.3}, 0.3, 0.7};
    const auto one = generate(spec, 5, 1);
    const auto two = generate(spec, 5, 2);
    CHECK(same_graph(one.graph, two.graph));
    CHECK_FALSE(same_graph(one.graph, generate(spec, 6, 2).graph));
    const Audience price{PriceGenerator{5000, 3, 1.0}, 0.2, std::nullopt};
    CHECK(same_graph(generate(price, 5, 1).graph, generate(price, 5, 2).graph));
    // Enough accounts for the follower weights' sums to run in three blocks.
    const Audience blocks{PowerLawGenerator{150000, 3, 1.0, 2.3}, 0, std::nullopt};
    CHECK(same_graph(generate(blocks, 5, 1).graph, generate(blocks, 5, 2).graph));
}

TEST_CASE("the memory guard refuses an oversize graph before allocating, giving the estimate") {
    // 2 billion follows need ~8 GiB of follows alone: refused under a 1 GiB limit at once.
    const Audience spec{PowerLawGenerator{40000000, 50, 1.0, 2.2}, 0, std::nullopt};
    CHECK_THROWS_WITH(
        generate_graph(spec, std::vector<std::uint16_t>(1, 0), 1, 1, 1ull << 30),
        Contains("needs an estimated 7.") && Contains("GiB") && Contains("limit of 1.0 GiB"));
}
