// Fuzzes the scenario reader with overrides. An input is a scenario text, optionally followed by a
// line "#--set" and one KEY=VALUE override per line. Bad input must be an input_error; a scenario
// that reads must write a resolved scenario that reads back to the same model and run settings.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "scenario/scenario.hpp"

using namespace reachsim;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::string marker = "\n#--set\n";
    const auto split = input.find(marker);
    const std::string text = input.substr(0, split);
    std::vector<Override> overrides;
    if (split != std::string::npos) {
        std::istringstream lines(input.substr(split + marker.size()));
        for (std::string line; std::getline(lines, line);) {
            try {
                overrides.push_back(parse_override(line));
            } catch (const input_error&) {
            }
        }
    }
    Scenario scenario;
    try {
        scenario = parse_scenario(text, "fuzz.toml", overrides);
    } catch (const input_error&) {
        return 0;
    }
    const std::string resolved = resolved_scenario_toml(scenario);
    const Scenario again = parse_scenario(resolved, "fuzz.toml");  // must not throw
    if (!(again.model == scenario.model) || !(again.run == scenario.run)) {
        std::abort();  // the resolved scenario does not reproduce the run
    }
    return 0;
}
