// Sorting a row of drawn followees: checked against std::sort and std::unique, for lengths on both
// sides of the cuts between the sorting network or ranking and quicksort, with many repeats and
// with the largest id, and nothing written past the row.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <random>
#include <vector>

#include "graph/row_sort.hpp"

using namespace reachsim;

TEST_CASE("a row is sorted and its repeats dropped, whatever its length") {
    // The widest instructions, then the narrower ones: on a processor with AVX-512 both are
    // checked, each on both sides of its cut.
    const auto instructions =
        GENERATE(RowSortInstructions::widest, RowSortInstructions::without_avx512);
    std::mt19937_64 random(7);
    // Account counts go up to 2^32 - 1, so ids up to 2^32 - 2.
    const AccountIndex largest_id = std::numeric_limits<AccountIndex>::max() - 1;
    for (std::size_t length = 0; length <= 2 * rows_sorted_by_network_up_to + 3; ++length) {
        // Ids from a handful (mostly repeats), or from the whole range with the largest among them.
        for (const AccountIndex most : {AccountIndex{5}, largest_id}) {
            std::uniform_int_distribution<AccountIndex> id(0, most);
            // The row, then ids of the next row, which sorting this one must leave alone.
            constexpr std::size_t next_row = 20;
            std::vector<AccountIndex> rows(length + next_row);
            for (auto& followee : rows) {
                followee = id(random);
            }
            if (length > 0) {
                rows[length / 2] = most;
            }
            const std::vector<AccountIndex> after(
                rows.begin() + static_cast<std::ptrdiff_t>(length), rows.end());
            std::vector<AccountIndex> expected(rows.begin(),
                                               rows.begin() + static_cast<std::ptrdiff_t>(length));
            std::sort(expected.begin(), expected.end());
            expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
            const std::size_t kept = sort_unique({rows.data(), length}, instructions);
            INFO("length " << length << ", ids up to " << most);
            CHECK(std::vector<AccountIndex>(
                      rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(kept)) == expected);
            CHECK(std::equal(after.begin(), after.end(),
                             rows.begin() + static_cast<std::ptrdiff_t>(length)));
        }
    }
}
