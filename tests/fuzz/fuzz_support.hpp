// Fuzz-target helpers: inputs written to a file (the readers under test read files), and the one
// rule every target checks — bad input may only ever be an input_error.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

namespace reachsim::fuzzing {

// A file of its own per process, in memory where /dev/shm exists.
inline std::string scratch_path(const std::string& suffix) {
    const char* folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    return std::string(folder) + "/reachsim-fuzz-" + std::to_string(getpid()) + suffix;
}

inline std::string write_scratch(const std::string& suffix, const std::uint8_t* data,
                                 std::size_t size) {
    const std::string path = scratch_path(suffix);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}

}  // namespace reachsim::fuzzing
