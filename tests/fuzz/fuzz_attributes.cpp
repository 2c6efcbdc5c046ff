// Fuzzes the account attribute reader (CSV) against a graph of accounts "1" to "9". Bad input must
// be an input_error; values read must be within the documented ranges.
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/errors.hpp"
#include "fuzz_support.hpp"
#include "graph_files/edge_list.hpp"

using namespace reachsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<std::string> ids{"1", "2", "3", "4", "5", "6", "7", "8", "9"};
    const std::string path = fuzzing::write_scratch(".csv", data, size);
    try {
        const AccountAttributes attributes = load_account_attributes(path, ids);
        for (std::size_t a = 0; a < ids.size(); ++a) {
            for (const auto* column :
                 {&attributes.posts_per_day, &attributes.sessions_per_day, &attributes.feed_depth,
                  &attributes.retweet_probability, &attributes.utc_offset_hours}) {
                const auto& value = (*column)[a];
                if (value && !std::isfinite(*value)) {
                    std::abort();
                }
            }
            const auto& offset = attributes.utc_offset_hours[a];
            const auto& probability = attributes.retweet_probability[a];
            if ((offset && std::abs(*offset) > 14) ||
                (probability && (*probability < 0 || *probability > 1))) {
                std::abort();
            }
        }
    } catch (const input_error&) {
    }
    return 0;
}
