// What a run tells a progress display: a phase starts, with how many steps it has (0 if unknown)
// and their unit; then steps complete. The CLI draws it on a terminal; the library never prints.
#pragma once

#include <cstdint>
#include <string>

namespace reachsim {

// Called from worker threads: implementations synchronise.
class Progress {
  public:
    virtual ~Progress() = default;
    virtual void start_phase(const std::string& phase, std::uint64_t steps,
                             const std::string& unit) = 0;
    virtual void step_done() = 0;
    virtual void advance_to(std::uint64_t steps_done) = 0;
};

}  // namespace reachsim
