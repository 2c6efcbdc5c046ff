#include "hdf5/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <type_traits>

#include "hdf5/hdf5_objects.hpp"

namespace reachsim {
namespace {

static_assert(std::is_same_v<hid_t, std::int64_t>, "HDF5 identifiers are 64-bit from 1.10 on");

using hdf5::Handle;

// The temporary file being written, for the signal handler: a fixed buffer, since a handler may
// only call async-signal-safe functions (unlink, signal, raise).
char partial_output[4096] = {};
volatile std::sig_atomic_t writing = 0;

extern "C" void remove_partial_output(int signal_number) {
    if (writing != 0) {
        unlink(partial_output);
    }
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

// The flag a sweep watches; the first signal sets it, the next ends the process.
std::atomic<bool>* stop_flag = nullptr;

extern "C" void request_stop(int signal_number) {
    stop_flag->store(true);
    std::signal(signal_number, remove_partial_output);
}

// Makes what was written to `path` durable before it is renamed into place.
void sync(const std::filesystem::path& path, const std::string& what) {
    const int descriptor = open(path.c_str(), O_RDONLY);
    if (descriptor < 0 || fsync(descriptor) != 0) {
        const std::string reason = std::strerror(errno);
        if (descriptor >= 0) {
            close(descriptor);
        }
        throw output_error("could not sync " + what + ": " + reason);
    }
    close(descriptor);
}

// Writes under a temporary name in the target's folder, closes (checked) and syncs it, and only
// then renames it into place: a failure at any point leaves the earlier result at `path` as it was
// and no temporary file behind.
}  // namespace

void write_atomically(const std::string& path, const std::function<void(std::int64_t)>& write) {
    // A file whose close failed (a full disk) stays open inside HDF5, and HDF5's own clean-up at
    // exit would then crash on it: every file is closed here, so that clean-up is not needed.
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions, not printed stacks
    const std::filesystem::path target(path);
    std::string temporary_name = target.filename().string();
    temporary_name.insert(0, 1, '.');
    temporary_name.append(".tmp-").append(std::to_string(getpid()));
    const std::filesystem::path temporary = target.parent_path() / temporary_name;
    if (temporary.string().size() >= sizeof partial_output) {
        throw input_error({path, 0}, "output.path", "the path is too long");
    }
    std::strncpy(partial_output, temporary.c_str(), sizeof partial_output - 1);
    writing = 1;
    try {
        const hid_t id = H5Fcreate(temporary.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        if (id < 0) {
            throw input_error(
                {path, 0}, "",
                "cannot create the output file (does its folder exist and is it writable?)");
        }
        Handle file(id, H5Fclose, "open " + temporary.string());
        write(file);
        file.close_checked("finish writing " + temporary.string());
        sync(temporary, temporary.string());
        std::filesystem::rename(temporary, target);
        writing = 0;
        const auto folder =
            target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
        sync(folder, "the folder of " + path);
    } catch (const output_error& error) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        writing = 0;
        throw output_error("could not write " + path + " (is the disk full?): " + error.what() +
                           "; any earlier file there is unchanged");
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        writing = 0;
        throw;
    }
}

void check_output_path(const std::string& path) {
    const auto fail = [&](const std::string& problem) {
        throw input_error({path, 0}, "output.path", problem);
    };
    if (path.empty() || path.back() == '/') {
        fail("expected a file name, not a folder");
    }
    const std::filesystem::path target(path);
    std::error_code error;
    if (std::filesystem::is_directory(target, error)) {
        fail("is a folder: expected a file name");
    }
    const auto folder =
        target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
    if (!std::filesystem::is_directory(folder, error)) {
        fail("the folder " + folder.string() + " does not exist");
    }
    if (access(folder.c_str(), W_OK) != 0) {
        fail("the folder " + folder.string() + " is not writable");
    }
}

void remove_partial_output_on_signals() {
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
        std::signal(signal_number, remove_partial_output);
    }
}

void request_stop_on_signals(std::atomic<bool>& stop) {
    stop_flag = &stop;
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
        std::signal(signal_number, request_stop);
    }
}

}  // namespace reachsim
