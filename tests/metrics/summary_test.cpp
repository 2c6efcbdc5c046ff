#include <catch2/catch.hpp>

#include <cmath>

#include "engine/record.hpp"
#include "metrics/summary.hpp"

using namespace reachsim;

TEST_CASE("the ratio estimator's standard error matches an independent computation") {
    // Equal trials: the ratio is the mean of the per-replicate shares and its standard error is
    // their sample standard deviation over sqrt(R).
    const std::vector<double> successes{30, 50, 40, 45};
    const std::vector<double> trials{100, 100, 100, 100};
    const auto estimate = ratio_over_replicates(successes, trials);
    const double mean = 0.4125;
    double squares = 0;
    for (double s : successes) {
        squares += (s / 100 - mean) * (s / 100 - mean);
    }
    CHECK(estimate.value == Approx(mean));
    CHECK(estimate.standard_error == Approx(std::sqrt(squares / 3) / 2));
    CHECK(std::isnan(ratio_over_replicates({3}, {10}).standard_error));
}

TEST_CASE("log histogram bins ages by their upper edge, per group") {
    LogHistogram histogram;
    histogram.add(0.5, 0);
    histogram.add(1.0, 0);
    histogram.add(10.0, 0);
    histogram.add(10.0001, 0);
    histogram.add(1e9, 0);
    histogram.add(10.0, 2);
    const auto counts = histogram.counts(0);
    CHECK(counts[0] == 2);
    CHECK(counts[static_cast<std::size_t>(LogHistogram::bins_per_decade)] == 1);
    CHECK(counts[static_cast<std::size_t>(LogHistogram::bins_per_decade) + 1] == 1);
    CHECK(counts.back() == 1);
    // Groups appear as they are used; merging adds bin by bin.
    CHECK(histogram.groups() == 3);
    CHECK(histogram.counts(1) == std::vector<std::int64_t>(LogHistogram::bins, 0));
    LogHistogram other;
    other.add(10.0, 2);
    other.add(10.0, 4);
    histogram.merge(other);
    CHECK(histogram.groups() == 5);
    CHECK(histogram.counts(2)[static_cast<std::size_t>(LogHistogram::bins_per_decade)] == 2);
    CHECK(histogram.counts(4)[static_cast<std::size_t>(LogHistogram::bins_per_decade)] == 1);
    CHECK(histogram.counts(0) == counts);
}
