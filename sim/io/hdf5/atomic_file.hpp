// Files that are either whole or absent: an output is written under a temporary name beside its
// target, closed, synced and only then renamed into place, so a failed or interrupted write never
// leaves a half-written file or destroys an earlier result. Also the output path check that runs
// make before simulating, and what happens to a write in progress on Ctrl-C.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace reachsim {

// Throws input_error naming output.path if `path` cannot be written: a folder, or in a folder
// that does not exist or is not writable. Runs call it before simulating.
void check_output_path(const std::string& path);

// On SIGINT, SIGTERM or SIGHUP, removes the temporary file being written (if any) and ends the
// process by the signal: an interrupted write leaves the earlier result at the path untouched.
void remove_partial_output_on_signals();

// For sweeps: the first SIGINT, SIGTERM or SIGHUP sets `stop` (the sweep then finishes its file
// with the points done); a second one acts as remove_partial_output_on_signals.
void request_stop_on_signals(std::atomic<bool>& stop);

// Creates an HDF5 file under a temporary name, lets `write` fill it (given the file's hid_t), then
// closes, syncs and renames it to `path`. A failure to write is an output_error; the earlier file
// at `path` survives it.
void write_atomically(const std::string& path, const std::function<void(std::int64_t)>& write);

}  // namespace reachsim
