// Selection without branches, against std::sort: the element at nth is the sorted one, and the
// range is partitioned around it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "core/select_nth.hpp"

using namespace reachsim;

namespace {

// One CHECK per failure: thousands of passing ones would be noise.
void check_selected(const std::vector<std::uint32_t>& values, std::size_t nth) {
    std::vector<std::uint32_t> selected = values;
    select_nth(selected.data(), selected.data() + nth, selected.data() + selected.size(),
               [](std::uint32_t a, std::uint32_t b) { return a < b; });
    std::vector<std::uint32_t> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::uint32_t> as_sorted = selected;
    std::sort(as_sorted.begin(), as_sorted.end());
    const bool same_elements = as_sorted == sorted;
    const bool at_nth = selected[nth] == sorted[nth];
    const bool partitioned =
        std::all_of(selected.begin(), selected.begin() + static_cast<std::ptrdiff_t>(nth),
                    [&](std::uint32_t v) { return v <= sorted[nth]; }) &&
        std::all_of(selected.begin() + static_cast<std::ptrdiff_t>(nth), selected.end(),
                    [&](std::uint32_t v) { return v >= sorted[nth]; });
    if (!(same_elements && at_nth && partitioned)) {
        INFO(values.size() << " values, nth " << nth);
        CHECK(same_elements);
        CHECK(at_nth);
        CHECK(partitioned);
    }
}

}  // namespace

TEST_CASE("select_nth puts the sorted element at nth and the range around it in order") {
    std::mt19937_64 random(11);
    for (std::size_t size = 1; size <= 300; size += (size < 40 ? 1 : 13)) {
        for (const std::uint32_t distinct : {std::uint32_t{0}, std::uint32_t{5}}) {
            // Distinct values (the counted feed's case), and values with many ties.
            std::vector<std::uint32_t> values(size);
            for (std::uint32_t& value : values) {
                value = static_cast<std::uint32_t>(distinct == 0 ? random() : random() % distinct);
            }
            for (const std::size_t nth : {std::size_t{0}, size / 3, size / 2, size - 1}) {
                check_selected(values, nth);
            }
            // Already sorted, and sorted the other way.
            std::sort(values.begin(), values.end());
            check_selected(values, size / 2);
            std::reverse(values.begin(), values.end());
            check_selected(values, size / 2);
        }
    }
    // A range that is empty after nth: nothing to do.
    std::vector<std::uint32_t> one{7};
    select_nth(one.data(), one.data() + 1, one.data() + 1, [](auto a, auto b) { return a < b; });
    CHECK(one[0] == 7);
}
