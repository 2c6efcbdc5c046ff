// A deliberate data race in a parallel loop's body: under ThreadSanitizer the test that runs this
// passes only if TSan reports it, so the TSan build is shown able to see races in the loops that
// reachsim runs in parallel (tests/CMakeLists.txt).
#include <cstdio>

#include "core/parallel.hpp"

int main() {
    long total = 0;
    constexpr std::size_t size = std::size_t{1} << 20;  // long enough for both threads to take part
    reachsim::parallel_chunks(0, size, 1 << 10, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            total += static_cast<long>(i);  // unsynchronised: the race
        }
    });
    std::printf("%ld\n", total);
}
