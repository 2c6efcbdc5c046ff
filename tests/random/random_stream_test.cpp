// Random streams and draws: keyed by what they decide, and with the distributions they claim
// (means within 5 standard errors of n draws, the standard error from each distribution's own
// variance).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "random/draw.hpp"
#include "random/random_stream.hpp"

using namespace reachsim;

namespace {

constexpr int draws = 200000;
constexpr double tolerance_in_standard_errors = 5.0;

// The mean of `draws` values of `next`, checked against `mean` with standard deviation `sd`.
template <typename Next>
void check_mean(Next next, double mean, double sd) {
    double sum = 0;
    for (int i = 0; i < draws; ++i) {
        sum += next();
    }
    const double estimate = sum / draws;
    INFO("mean " << estimate << ", expected " << mean);
    CHECK(std::abs(estimate - mean) < tolerance_in_standard_errors * sd / std::sqrt(draws));
}

}  // namespace

TEST_CASE("a stream is a function of its key alone, and every part of the key matters") {
    const StreamKey key{7, 3, StreamKind::follower_activity, 17, 0};
    RandomStream a(key);
    RandomStream b(key);
    std::vector<std::uint32_t> first;
    for (int i = 0; i < 10; ++i) {
        const auto value = a();
        first.push_back(value);
        CHECK(value == b());
    }
    std::set<std::vector<std::uint32_t>> seen{first};
    for (StreamKey other : {StreamKey{8, 3, StreamKind::follower_activity, 17, 0},
                            StreamKey{7, 4, StreamKind::follower_activity, 17, 0},
                            StreamKey{7, 3, StreamKind::author_posts, 17, 0},
                            StreamKey{7, 3, StreamKind::follower_activity, 18, 0},
                            StreamKey{7, 3, StreamKind::follower_activity, 17, 1}}) {
        RandomStream c(other);
        std::vector<std::uint32_t> values;
        for (int i = 0; i < 10; ++i) {
            values.push_back(c());
        }
        CHECK(seen.insert(values).second);
    }
}

TEST_CASE("a stream can skip draws: the same numbers follow as if they had been drawn") {
    const StreamKey key{5, 2, StreamKind::graph_generation, 77};
    for (std::uint64_t skipped = 0; skipped < 21; ++skipped) {
        for (std::uint64_t before = 0; before < 6; ++before) {
            RandomStream drawn(key);
            RandomStream skipping(key);
            for (std::uint64_t k = 0; k < before; ++k) {
                CHECK(drawn() == skipping());
            }
            for (std::uint64_t k = 0; k < skipped; ++k) {
                drawn();
            }
            skipping.discard(skipped);
            INFO(before << " drawn, then " << skipped << " skipped");
            CHECK(drawn.draws_taken() == before + skipped);
            CHECK(skipping.draws_taken() == before + skipped);
            for (int k = 0; k < 9; ++k) {
                CHECK(drawn() == skipping());
            }
        }
    }
}

TEST_CASE("a fill gives the very draws taken one by one, wherever it starts and ends") {
    const StreamKey key{9, 1, StreamKind::graph_generation, 4'000'000'000, 3};
    for (std::size_t before = 0; before < 6; ++before) {
        for (std::size_t length : {0u, 1u, 3u, 4u, 5u, 63u, 64u, 65u, 127u, 128u, 129u, 1000u}) {
            RandomStream one_by_one(key);
            RandomStream filling(key);
            for (std::size_t k = 0; k < before; ++k) {
                CHECK(one_by_one() == filling());
            }
            std::vector<std::uint32_t> filled(length);
            filling.fill(filled);
            std::vector<std::uint32_t> drawn(length);
            for (auto& value : drawn) {
                value = one_by_one();
            }
            INFO(before << " drawn, then " << length << " filled");
            CHECK(filled == drawn);
            CHECK(filling.draws_taken() == one_by_one.draws_taken());
            for (int k = 0; k < 9; ++k) {
                CHECK(one_by_one() == filling());
            }
        }
    }
}

TEST_CASE("Philox blocks sixteen at a time are Random123's, word for word, across the wrap") {
    const r123::Philox4x32::key_type key{{0x12345678, 0x9abcdef0}};
    // A first counter word near 2^32: the blocks wrap to 0 as the stream's counter does.
    for (const std::uint32_t first : {0u, 5u, 0xFFFFFFF0u, 0xFFFFFFFBu}) {
        for (const std::size_t count : {1u, 15u, 16u, 17u, 40u}) {
            const r123::Philox4x32::ctr_type counter{{first, 17, 3, 5 | (2u << 8)}};
            std::vector<std::uint32_t> reference(4 * count);
            std::vector<std::uint32_t> vectorised(4 * count);
            RandomStream::blocks_portable(key, counter, count, reference.data());
            r123::Philox4x32 philox;
            auto one = counter;
            for (std::size_t b = 0; b < count; ++b, ++one.v[0]) {
                const auto block = philox(one, key);
                INFO("block " << b << " of " << count << " from " << first);
                CHECK(std::equal(block.v, block.v + 4, reference.data() + 4 * b));
            }
            if (!RandomStream::blocks_avx512(key, counter, count, vectorised.data())) {
                WARN("no AVX-512 on this processor: the vectorised blocks are not checked");
                continue;
            }
            INFO(count << " blocks from " << first);
            CHECK(vectorised == reference);
        }
    }
}

TEST_CASE("uniform, exponential, normal, Poisson and geometric draws have their moments") {
    RandomStream random({1, 0, StreamKind::author_posts, 0});
    check_mean([&] { return random.uniform_open01(); }, 0.5, std::sqrt(1.0 / 12));
    check_mean([&] { return random.standard_exponential(); }, 1.0, 1.0);
    check_mean(
        [&] {
            const double x = random.standard_exponential();
            return x * x;
        },
        2.0, std::sqrt(24.0 - 4.0));  // E[X^2] = 2, Var[X^2] = E[X^4] - 4 = 20
    check_mean([&] { return random.standard_normal(); }, 0.0, 1.0);
    check_mean([&] { return static_cast<double>(random.poisson(3.5)); }, 3.5, std::sqrt(3.5));
    check_mean([&] { return static_cast<double>(random.geometric(4.0)); }, 4.0,
               std::sqrt((1 - 0.25) / (0.25 * 0.25)));
    for (int i = 0; i < 1000; ++i) {
        const double u = random.uniform_open01();
        REQUIRE((u > 0 && u < 1));
        REQUIRE(random.below(7) < 7);
    }
}

TEST_CASE("normal and geometric draws follow their laws, not only their means") {
    // Each frequency over `draws` is binomial: within 5 standard errors of its probability.
    auto check_share = [](double count, double p, const std::string& what) {
        const double n = draws;
        INFO(what << ": " << count << " of " << n << ", expected " << n * p);
        CHECK(std::abs(count - n * p) < tolerance_in_standard_errors * std::sqrt(n * p * (1 - p)));
    };
    RandomStream random({3, 0, StreamKind::author_posts, 0});
    // The normal's distribution function at five points: Phi(z) = erfc(-z / sqrt 2) / 2.
    const std::vector<double> points{-2.0, -1.0, 0.0, 0.5, 1.5};
    std::vector<double> below(points.size(), 0.0);
    for (int i = 0; i < draws; ++i) {
        const double z = random.standard_normal();
        for (std::size_t k = 0; k < points.size(); ++k) {
            below[k] += z <= points[k] ? 1 : 0;
        }
    }
    for (std::size_t k = 0; k < points.size(); ++k) {
        check_share(below[k], std::erfc(-points[k] / std::sqrt(2.0)) / 2,
                    "normal draws at most " + std::to_string(points[k]));
    }
    // Failures before a success of probability p: P(G = k) = p (1 - p)^k, P(G >= 5) = (1 - p)^5.
    const double p = 0.3;
    std::vector<double> failures(6, 0.0);
    for (int i = 0; i < draws; ++i) {
        const double g = random.geometric_failures(std::log1p(-p));
        REQUIRE(g == std::floor(g));
        failures[static_cast<std::size_t>(std::min(g, 5.0))] += 1;
    }
    for (std::size_t k = 0; k < 5; ++k) {
        check_share(failures[k], p * std::pow(1 - p, static_cast<double>(k)),
                    std::to_string(k) + " failures");
    }
    check_share(failures[5], std::pow(1 - p, 5.0), "5 or more failures");
}

TEST_CASE("draws from each kind of distribution have the distribution's mean, and caps hold") {
    RandomStream random({2, 0, StreamKind::account_parameters, 0});
    Distribution exponential;
    exponential.kind = Distribution::Kind::exponential;
    exponential.mean = 30;
    check_mean([&] { return draw(exponential, random); }, 30, 30);

    Distribution lognormal;
    lognormal.kind = Distribution::Kind::lognormal;
    lognormal.mean = 5;
    lognormal.sigma = 0.5;
    // Var = mean^2 (exp(sigma^2) - 1).
    check_mean([&] { return draw(lognormal, random); }, 5, 5 * std::sqrt(std::exp(0.25) - 1));

    Distribution empirical;
    empirical.kind = Distribution::Kind::empirical;
    empirical.values = {1, 2, 6};
    check_mean([&] { return draw(empirical, random); }, 3, std::sqrt((4 + 1 + 9) / 3.0));
    CHECK(empirical.expected() == 3);
    CHECK(empirical.largest() == 6);

    Distribution geometric;
    geometric.kind = Distribution::Kind::geometric;
    geometric.mean = 20;
    geometric.cap = 25;
    double largest = 0;
    for (int i = 0; i < 10000; ++i) {
        const double value = draw(geometric, random);
        CHECK(value == std::floor(value));
        largest = std::max(largest, value);
    }
    CHECK(largest == 25);  // P(no draw reaches 25 in 10,000) = (1 - 0.95^24)^10000 ~ 0
    CHECK(geometric.largest() == 25);
    CHECK(draw(Distribution::fixed_at(4.5), random) == 4.5);
}

namespace {

// The share of `draws` values of `next` at or below each of `points`, checked against `cdf` within
// 5 binomial standard errors.
template <typename Next, typename Cdf>
void check_cdf(Next next, Cdf cdf, const std::vector<double>& points) {
    std::vector<double> below(points.size(), 0);
    for (int i = 0; i < draws; ++i) {
        const double value = next();
        for (std::size_t k = 0; k < points.size(); ++k) {
            below[k] += value <= points[k] ? 1 : 0;
        }
    }
    for (std::size_t k = 0; k < points.size(); ++k) {
        const double expected = cdf(points[k]);
        const double share = below[k] / draws;
        INFO("at " << points[k] << ": share " << share << ", expected " << expected);
        CHECK(std::abs(share - expected) <
              tolerance_in_standard_errors * std::sqrt(expected * (1 - expected) / draws) + 1e-6);
    }
}

}  // namespace

TEST_CASE("heavy-tailed delays: a power law with a cutoff, and SEISMIC's memory kernel") {
    RandomStream random({3, 0, StreamKind::account_parameters, 0});
    for (const double exponent : {0.5, 1.5, 2.5}) {
        Distribution power_law;
        power_law.kind = Distribution::Kind::power_law;
        power_law.exponent = exponent;
        power_law.lower = 60;
        power_law.cutoff = 86400;
        // The CDF by independent quadrature of t^-exponent e^(-t / cutoff) (midpoints on a log
        // grid up to 60 cutoffs; the rest of the mass is below e^-60).
        const int steps = 200000;
        const double step = std::log(61 * 86400 / 60.0) / steps;
        std::vector<double> grid;
        std::vector<double> cumulative;
        double mass = 0;
        for (int i = 0; i < steps; ++i) {
            const double t = 60 * std::exp((i + 0.5) * step);
            mass += std::pow(t, -exponent) * std::exp(-t / 86400) * t * step;
            grid.push_back(60 * std::exp((i + 1) * step));
            cumulative.push_back(mass);
        }
        auto cdf = [&](double t) {
            const auto at = std::lower_bound(grid.begin(), grid.end(), t) - grid.begin();
            return cumulative[static_cast<std::size_t>(at)] / mass;
        };
        INFO("exponent " << exponent);
        check_cdf([&] { return draw(power_law, random); }, cdf, {120, 600, 3600, 21600, 86400});
        // The mean the model reports agrees with the same quadrature.
        double moment = 0;
        for (int i = 0; i < steps; ++i) {
            const double t = 60 * std::exp((i + 0.5) * step);
            moment += std::pow(t, -exponent) * std::exp(-t / 86400) * t * t * step;
        }
        CHECK(power_law.expected() == Approx(moment / mass).epsilon(1e-3));
    }

    Distribution seismic;
    seismic.kind = Distribution::Kind::seismic;
    seismic.plateau = 300;
    seismic.theta = 0.2315;
    // Density c on [0, plateau], c (t / plateau)^-(1 + theta) beyond: the plateau holds
    // theta / (1 + theta) of the mass.
    const double theta = seismic.theta;
    auto cdf = [&](double t) {
        return t <= 300 ? theta / (1 + theta) * t / 300
                        : theta / (1 + theta) + (1 - std::pow(t / 300, -theta)) / (1 + theta);
    };
    check_cdf([&] { return draw(seismic, random); }, cdf, {60, 299, 600, 3600, 86400, 604800});
    CHECK(std::isinf(seismic.expected()));
    seismic.cap = 7 * 86400.0;
    double largest = 0;
    for (int i = 0; i < 100000; ++i) {
        largest = std::max(largest, draw(seismic, random));
    }
    CHECK(largest == seismic.cap);  // P(no draw beyond 7 days) = (1 - 0.19)^100000 ~ 0
}
