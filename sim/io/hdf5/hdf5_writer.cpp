#include "hdf5/hdf5_writer.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include <chrono>
#include <filesystem>
#include <limits>
#include <system_error>

#include "build_info/version.hpp"
#include "core/errors.hpp"

namespace reachsim {
namespace {

// Owns an HDF5 identifier and closes it with the matching function. Any HDF5 failure while writing
// is an output_error: with a scenario already validated, what fails is the disk or the folder.
class Handle {
  public:
    Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what) : id_(id), close_(closer) {
        if (id_ < 0) {
            throw output_error("HDF5: could not " + what);
        }
    }
    Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle& operator=(Handle&&) = delete;
    ~Handle() {
        if (id_ >= 0) {
            close_(id_);
        }
    }
    operator hid_t() const { return id_; }  // NOLINT: handles are passed straight to the C API

    // Closes now and checks: closing a file flushes it, which is where a full disk shows.
    void close_checked(const std::string& what) {
        const herr_t status = close_(id_);
        id_ = -1;
        if (status < 0) {
            throw output_error("HDF5: could not " + what);
        }
    }

  private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what) {
    if (status < 0) {
        throw output_error("HDF5: could not " + what);
    }
}

Handle string_type() {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "create a string type");
    check(H5Tset_size(type, H5T_VARIABLE), "size a string type");
    check(H5Tset_cset(type, H5T_CSET_UTF8), "set UTF-8");
    return type;
}

template <typename T>
hid_t native_type() {
    if constexpr (std::is_same_v<T, double>) {
        return H5T_NATIVE_DOUBLE;
    } else if constexpr (std::is_same_v<T, std::int64_t>) {
        return H5T_NATIVE_INT64;
    } else if constexpr (std::is_same_v<T, std::uint64_t>) {
        return H5T_NATIVE_UINT64;
    } else if constexpr (std::is_same_v<T, std::uint32_t>) {
        return H5T_NATIVE_UINT32;
    } else if constexpr (std::is_same_v<T, std::uint16_t>) {
        return H5T_NATIVE_UINT16;
    } else {
        static_assert(std::is_same_v<T, std::int32_t>);
        return H5T_NATIVE_INT32;
    }
}

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
    const Handle type = string_type();
    const Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
    const Handle attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                           H5Aclose, "create attribute " + name);
    const char* text = value.c_str();
    check(H5Awrite(attribute, type, &text), "write attribute " + name);
}

template <typename T>
void write_attribute(hid_t object, const std::string& name, T value) {
    const Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
    const Handle attribute(
        H5Acreate2(object, name.c_str(), native_type<T>(), space, H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose, "create attribute " + name);
    check(H5Awrite(attribute, native_type<T>(), &value), "write attribute " + name);
}

// A dataset of `dimensions` (row-major) holding `values`.
template <typename T>
void write_dataset(hid_t group, const std::string& name, const std::vector<T>& values,
                   const std::vector<hsize_t>& dimensions) {
    const Handle space(
        H5Screate_simple(static_cast<int>(dimensions.size()), dimensions.data(), nullptr), H5Sclose,
        "create a dataspace for " + name);
    const Handle dataset(H5Dcreate2(group, name.c_str(), native_type<T>(), space, H5P_DEFAULT,
                                    H5P_DEFAULT, H5P_DEFAULT),
                         H5Dclose, "create dataset " + name);
    if (!values.empty()) {
        check(H5Dwrite(dataset, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
              "write dataset " + name);
    }
}

// One member of every row, as a column.
template <typename Row, typename T>
std::vector<T> column(const std::vector<Row>& rows, T Row::*member) {
    std::vector<T> values;
    values.reserve(rows.size());
    for (const Row& row : rows) {
        values.push_back(row.*member);
    }
    return values;
}

template <typename T>
void write_column(hid_t group, const std::string& name, const std::vector<T>& values) {
    write_dataset(group, name, values, {values.size()});
}

template <typename T>
void write_scalar(hid_t group, const std::string& name, T value) {
    const Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
    const Handle dataset(H5Dcreate2(group, name.c_str(), native_type<T>(), space, H5P_DEFAULT,
                                    H5P_DEFAULT, H5P_DEFAULT),
                         H5Dclose, "create dataset " + name);
    check(H5Dwrite(dataset, native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &value),
          "write dataset " + name);
}

void write_strings(hid_t group, const std::string& name, const std::vector<std::string>& values) {
    std::vector<const char*> pointers;
    for (const auto& value : values) {
        pointers.push_back(value.c_str());
    }
    const Handle type = string_type();
    const hsize_t size = values.size();
    const Handle space(H5Screate_simple(1, &size, nullptr), H5Sclose,
                       "create a dataspace for " + name);
    const Handle dataset(
        H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose, "create dataset " + name);
    check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
          "write dataset " + name);
}

Handle create_group(hid_t file, const std::string& name) {
    return {H5Gcreate2(file, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
            "create group " + name};
}

std::string direction_name(EdgeDirection direction) {
    switch (direction) {
        case EdgeDirection::follower_followee:
            return "follower_followee";
        case EdgeDirection::followee_follower:
            return "followee_follower";
        case EdgeDirection::mutual:
            return "mutual";
    }
    return "";
}

std::string now_utc() {
    const auto now = std::chrono::system_clock::now();
    return format_utc_instant(
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

void write_root_attributes(hid_t file, const RunMetadata& metadata, const std::string& mode) {
    write_attribute(file, "format", std::string("reachsim"));
    write_attribute(file, "mode", mode);
    write_attribute(file, "format_version", output_format_version);
    write_attribute(file, "reachsim_version", std::string(reachsim_version));
    write_attribute(file, "git_commit", std::string(reachsim_git_commit));
    write_attribute(file, "created_utc", now_utc());
    write_attribute(file, "command_line", metadata.command_line);
    write_attribute(file, "seed", metadata.seed);
    write_attribute(file, "replicates", metadata.replicates);
    write_attribute(file, "threads", metadata.threads);
    write_attribute(file, "scenario", metadata.scenario_text);
    write_attribute(file, "resolved_scenario", metadata.resolved_scenario);
}

// A column of every record's posts, replicate after replicate.
template <typename T>
std::vector<T> post_column(const std::vector<ReplicateRecord>& records, T PostRecord::*member) {
    std::vector<T> values;
    for (const auto& record : records) {
        for (const auto& post : record.posts) {
            values.push_back(post.*member);
        }
    }
    return values;
}

// Per generation the viewers (first seen through an item of that generation: 0 = the author's own
// post) and the retweeters (generation 1 = retweets of the original).
void write_generations(hid_t posts, const std::vector<ReplicateRecord>& records, std::size_t rows) {
    std::size_t generations = 1;
    for (const auto& record : records) {
        for (const auto& view : record.first_views) {
            generations = std::max<std::size_t>(generations, view.generation + 1);
        }
        for (const auto& row : record.cascade_rows) {
            generations = std::max<std::size_t>(generations, row.generation + 1);
        }
    }
    std::vector<std::int64_t> viewers(rows * generations, 0);
    std::vector<std::int64_t> retweeters(rows * generations, 0);
    std::size_t base = 0;
    for (const auto& record : records) {
        for (const auto& view : record.first_views) {
            ++viewers[(base + view.post) * generations + view.generation];
        }
        for (const auto& row : record.cascade_rows) {
            ++retweeters[(base + row.post) * generations + row.generation];
        }
        base += record.posts.size();
    }
    write_dataset(posts, "viewers_by_generation", viewers, {rows, generations});
    write_dataset(posts, "retweeters_by_generation", retweeters, {rows, generations});
}

void write_posts(hid_t file, const Model& model, const std::vector<ReplicateRecord>& records) {
    std::vector<std::uint32_t> replicate;
    std::vector<std::int64_t> reached_by_segment;
    for (const auto& record : records) {
        replicate.insert(replicate.end(), record.posts.size(), record.replicate);
        reached_by_segment.insert(reached_by_segment.end(), record.reached_by_segment.begin(),
                                  record.reached_by_segment.end());
    }
    const std::size_t rows = replicate.size();
    const Handle posts = create_group(file, "posts");
    write_column(posts, "replicate", replicate);
    write_column(posts, "author", post_column(records, &PostRecord::author));
    write_column(posts, "post_time", post_column(records, &PostRecord::post_time));
    const auto followers_reached = post_column(records, &PostRecord::followers_reached);
    write_column(posts, "followers_reached", followers_reached);
    write_column(posts, "impressions", post_column(records, &PostRecord::impressions));
    write_column(posts, "first_seen_delay", post_column(records, &PostRecord::first_seen_delay));
    write_dataset(posts, "reached_by_segment", reached_by_segment, {rows, model.segments.size()});
    if (model.retweets) {
        const auto reach = post_column(records, &PostRecord::reach);
        std::vector<std::int64_t> beyond(rows);
        for (std::size_t i = 0; i < rows; ++i) {
            beyond[i] = reach[i] - followers_reached[i];
        }
        write_column(posts, "reach", reach);
        write_column(posts, "reach_beyond_followers", beyond);
        write_column(posts, "retweets", post_column(records, &PostRecord::retweets));
        write_column(posts, "cascade_depth", post_column(records, &PostRecord::deepest_generation));
        write_column(posts, "time_to_reach_50",
                     post_column(records, &PostRecord::time_to_reach_50));
        write_column(posts, "time_to_reach_90",
                     post_column(records, &PostRecord::time_to_reach_90));
        if (!model.is_star()) {
            write_generations(posts, records, rows);
        }
    }
    write_attribute(posts, "post_time_units", std::string("seconds since simulation.start"));
    write_attribute(posts, "first_seen_delay_units", std::string("seconds"));
}

// Every retweet of a tracked post; `post` is the row in /posts.
void write_cascades(hid_t file, const std::vector<ReplicateRecord>& records) {
    std::vector<CascadeRow> rows;
    std::size_t base = 0;
    for (const auto& record : records) {
        for (CascadeRow row : record.cascade_rows) {
            row.post += static_cast<std::uint32_t>(base);
            rows.push_back(row);
        }
        base += record.posts.size();
    }
    const Handle cascades = create_group(file, "cascades");
    write_column(cascades, "post", column(rows, &CascadeRow::post));
    write_column(cascades, "retweeter", column(rows, &CascadeRow::retweeter));
    write_column(cascades, "parent", column(rows, &CascadeRow::parent));
    write_column(cascades, "time", column(rows, &CascadeRow::time));
    write_column(cascades, "depth", column(rows, &CascadeRow::generation));
    write_attribute(
        cascades, "description",
        std::string(
            "a row per retweet of a tracked post: post = row in /posts, parent = the account "
            "whose item the retweeter first saw it through (the author at depth 1), time in "
            "seconds from the start, depth = the retweet's generation"));
}

void write_followers(hid_t file, const FollowerRows& rows) {
    const Handle followers = create_group(file, "followers");
    write_column(followers, "author", rows.author);
    write_column(followers, "account", rows.account);
    write_column(followers, "segment", rows.segment);
    write_column(followers, "utc_offset_hours", rows.utc_offset_hours);
    write_column(followers, "posts_delivered", rows.posts_delivered);
    write_column(followers, "posts_seen", rows.posts_seen);
    write_column(followers, "impressions", rows.impressions);
}

void write_segments(hid_t file, const Summary& summary) {
    std::vector<std::string> name;
    std::vector<std::int64_t> size;
    std::vector<double> seen_fraction;
    std::vector<double> seen_fraction_stderr;
    std::vector<double> impressions_per_post_follower;
    std::vector<double> mean_followers_reached;
    for (const auto& segment : summary.segments) {
        name.push_back(segment.name);
        size.push_back(segment.size);
        seen_fraction.push_back(segment.seen_fraction.value);
        seen_fraction_stderr.push_back(segment.seen_fraction.standard_error);
        impressions_per_post_follower.push_back(segment.impressions_per_post_follower);
        mean_followers_reached.push_back(segment.mean_followers_reached);
    }
    const Handle segments = create_group(file, "segments");
    write_strings(segments, "name", name);
    write_column(segments, "size", size);
    write_column(segments, "seen_fraction", seen_fraction);
    write_column(segments, "seen_fraction_stderr", seen_fraction_stderr);
    write_column(segments, "impressions_per_post_follower", impressions_per_post_follower);
    write_column(segments, "mean_followers_reached", mean_followers_reached);
}

void write_summary(hid_t file, const Model& model, const Summary& summary) {
    const Handle group = create_group(file, "summary");
    write_scalar(group, "seen_fraction", summary.seen_fraction.value);
    write_scalar(group, "seen_fraction_stderr", summary.seen_fraction.standard_error);
    write_scalar(group, "mean_followers_reached", summary.mean_followers_reached);
    write_scalar(group, "mean_impressions", summary.mean_impressions);
    write_scalar(group, "posts", summary.posts);
    write_scalar(group, "deliveries", static_cast<std::int64_t>(summary.deliveries));
    write_scalar(group, "unresolved_pairs", static_cast<std::int64_t>(summary.unresolved_pairs));
    if (model.retweets) {
        write_scalar(group, "mean_retweets", summary.mean_retweets);
        write_scalar(group, "mean_reach", summary.mean_reach);
    }
}

// The summary of each replicate, a row per replicate.
void write_replicates(hid_t file, const Model& model, const Summary& summary) {
    const auto& rows = summary.replicates;
    const Handle group = create_group(file, "replicates");
    write_column(group, "posts", column(rows, &ReplicateSummary::posts));
    write_column(group, "seen_fraction", column(rows, &ReplicateSummary::seen_fraction));
    write_column(group, "mean_followers_reached",
                 column(rows, &ReplicateSummary::mean_followers_reached));
    write_column(group, "mean_impressions", column(rows, &ReplicateSummary::mean_impressions));
    if (model.retweets) {
        write_column(group, "mean_retweets", column(rows, &ReplicateSummary::mean_retweets));
        write_column(group, "mean_reach", column(rows, &ReplicateSummary::mean_reach));
    }
}

void write_tracked_authors(hid_t file, const TrackedAuthors& tracked) {
    const Handle group = create_group(file, "tracked_authors");
    write_column(group, "account", tracked.account);
    write_column(group, "followers", tracked.followers);
    write_column(group, "posts", tracked.posts);
    write_attribute(group, "description",
                    std::string("a row per tracked author: account index, followers, and posts "
                                "made during simulation.duration over all replicates (0: "
                                "tracked, but nothing to measure)"));
}

void write_curves(hid_t file, const Summary& summary) {
    const Handle curves = create_group(file, "curves");
    const Handle seen_by_age = create_group(curves, "seen_by_age");
    write_column(seen_by_age, "age_seconds", summary.age_seconds);
    write_column(seen_by_age, "fraction", summary.seen_by_age_fraction);
    write_attribute(
        seen_by_age, "description",
        std::string(
            "cumulative share of first views (post, follower) within each age after posting"));
}

void write_degree_summary(hid_t group, const std::string& prefix, const DegreeSummary& degrees) {
    write_scalar(group, prefix + "_mean", degrees.mean);
    write_scalar(group, prefix + "_min", static_cast<std::int64_t>(degrees.min));
    write_scalar(group, prefix + "_max", static_cast<std::int64_t>(degrees.max));
    write_column(group, prefix + "_percentiles", degrees.percentiles);
    write_column(group, prefix + "_histogram", degrees.histogram);
}

// Where the graph came from, as attributes: the file (path, checksum, direction) or the
// generator with every parameter it was given.
void write_generator_parameters(hid_t graph, const PowerLawGenerator& generator) {
    write_attribute(graph, "source", std::string("power_law"));
    write_attribute(graph, "mean_following", generator.mean_following);
    write_attribute(graph, "following_sigma", generator.following_sigma);
    write_attribute(graph, "followers_exponent", generator.followers_exponent);
}

void write_generator_parameters(hid_t graph, const PriceGenerator& generator) {
    write_attribute(graph, "source", std::string("price"));
    write_attribute(graph, "following_per_account",
                    static_cast<std::int64_t>(generator.following_per_account));
    write_attribute(graph, "attachment_offset", generator.attachment_offset);
}

void write_generator_parameters(hid_t graph, const ErdosRenyiGenerator& generator) {
    write_attribute(graph, "source", std::string("erdos_renyi"));
    write_attribute(graph, "mean_following", generator.mean_following);
}

// Where the graph came from, as attributes: the file (path, checksum, direction) or the
// generator with every parameter it was given.
void write_graph_source(hid_t graph, const Audience& spec, const World& world) {
    std::visit(
        [&](const auto& source) {
            if constexpr (std::is_same_v<std::decay_t<decltype(source)>, GraphFile>) {
                write_attribute(graph, "source", std::string("file"));
                write_attribute(graph, "path", source.path);
                write_attribute(graph, "sha256", world.source_sha256);
                write_attribute(graph, "direction", direction_name(source.direction));
                write_attribute(graph, "attributes", source.attributes);
            } else if constexpr (!std::is_same_v<std::decay_t<decltype(source)>, StarAudience>) {
                write_generator_parameters(graph, source);
                write_attribute(graph, "generated_accounts",
                                static_cast<std::int64_t>(source.accounts));
                write_attribute(graph, "reciprocity_requested", spec.reciprocity);
                write_attribute(graph, "homophily_requested",
                                spec.homophily.value_or(std::numeric_limits<double>::quiet_NaN()));
            }
        },
        spec.source);
}

void write_graph(hid_t file, const Model& model, const World& world, const GraphSummary& summary) {
    const Handle graph = create_group(file, "graph");
    write_graph_source(graph, model.audience, world);
    if (!world.original_ids.empty()) {
        write_strings(graph, "original_id", world.original_ids);
    }
    write_scalar(graph, "accounts", static_cast<std::int64_t>(summary.accounts));
    write_scalar(graph, "follows", static_cast<std::int64_t>(summary.follows));
    write_scalar(graph, "reciprocity", summary.reciprocity);
    write_scalar(graph, "self_loops_dropped", static_cast<std::int64_t>(world.cleanup.self_loops));
    write_scalar(graph, "duplicates_dropped", static_cast<std::int64_t>(world.cleanup.duplicates));
    write_column(graph, "percentile_levels", percentile_levels);
    write_degree_summary(graph, "followers", summary.followers);
    write_degree_summary(graph, "following", summary.following);
    write_attribute(graph, "histogram_bins",
                    std::string("degree 0, 1, 2-3, 4-7, 8-15, ... (powers of two)"));
}

void write_accounts(hid_t file, const World& world, const AccountsTable& table) {
    const Handle accounts = create_group(file, "accounts");
    std::vector<double> utc_offset_hours(world.accounts.size());
    for (std::size_t a = 0; a < utc_offset_hours.size(); ++a) {
        utc_offset_hours[a] = world.accounts.utc_offset_hours(a);
    }
    write_column(
        accounts, "segment",
        std::vector<std::uint32_t>(world.accounts.segment.begin(), world.accounts.segment.end()));
    write_column(accounts, "utc_offset_hours", utc_offset_hours);
    write_column(accounts, "posts_per_day",
                 std::vector<double>(world.accounts.posts_per_day.begin(),
                                     world.accounts.posts_per_day.end()));
    write_column(accounts, "sessions_per_day",
                 std::vector<double>(world.accounts.sessions_per_day.begin(),
                                     world.accounts.sessions_per_day.end()));
    write_column(accounts, "feed_depth", world.accounts.feed_depth);
    write_column(accounts, "followers", table.followers);
    write_column(accounts, "following", table.following);
    write_column(accounts, "posts", table.posts);
    write_column(accounts, "mean_followers_reached", table.mean_followers_reached);
    write_column(accounts, "seen_fraction", table.seen_fraction);
    write_column(accounts, "impressions", table.impressions_per_post);
    write_attribute(accounts, "impressions_units", std::string("per post"));
    if (!table.mean_retweets.empty()) {
        write_column(accounts, "mean_retweets", table.mean_retweets);
        write_column(accounts, "mean_reach", table.mean_reach);
    }
}

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
template <typename Write>
void write_atomically(const std::string& path, Write write) {
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

}  // namespace

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

void write_run(const std::string& path, const RunMetadata& metadata, const Model& model,
               const World& world, const std::vector<ReplicateRecord>& records,
               const Summary& summary) {
    write_atomically(path, [&](hid_t file) {
        write_root_attributes(file, metadata, model.is_star() ? "single_author" : "graph");
        if (summary.graph) {
            write_graph(file, model, world, *summary.graph);
        }
        if (summary.accounts) {
            write_accounts(file, world, *summary.accounts);
        }
        write_tracked_authors(file, summary.tracked_authors);
        write_posts(file, model, records);
        if (model.retweets) {
            write_cascades(file, records);
        }
        write_followers(file, summary.followers);
        write_segments(file, summary);
        write_summary(file, model, summary);
        write_replicates(file, model, summary);
        write_curves(file, summary);
    });
}

}  // namespace reachsim
