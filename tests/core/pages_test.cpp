#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "core/pages.hpp"

using namespace reachsim;

TEST_CASE("a prefaulted resize keeps the elements and value-initialises the new ones") {
    // Sizes across several 64 MiB pieces of faulting and a piece's edge, grown from empty, from
    // a vector with elements and within a reserved capacity, as the generator grows its arrays.
    for (const std::size_t size :
         {std::size_t{0}, std::size_t{1}, std::size_t{16} << 20, (std::size_t{40} << 20) + 3}) {
        std::vector<std::uint32_t> values(1000);
        std::iota(values.begin(), values.end(), 1u);
        values.reserve(values.size() + size / 2);
        resize_prefaulted(values, values.size() + size);
        REQUIRE(values.size() == 1000 + size);
        bool kept = true;
        for (std::size_t i = 0; i < 1000; ++i) {
            kept &= values[i] == i + 1;
        }
        CHECK(kept);
        CHECK(std::all_of(values.begin() + 1000, values.end(), [](auto v) { return v == 0; }));
        std::vector<std::uint64_t> fresh;
        resize_prefaulted(fresh, size);
        CHECK(fresh.size() == size);
        CHECK(std::all_of(fresh.begin(), fresh.end(), [](auto v) { return v == 0; }));
    }
    std::vector<std::uint32_t> shrunk(10, 7);
    resize_prefaulted(shrunk, 4);
    CHECK(shrunk == std::vector<std::uint32_t>(4, 7));
}
