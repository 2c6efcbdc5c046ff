#include "hdf5/sweep_writer.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "core/time.hpp"
#include "hdf5/atomic_file.hpp"
#include "hdf5/hdf5_objects.hpp"
#include "hdf5/hdf5_writer.hpp"

namespace reachsim {
namespace {

using hdf5::check;
using hdf5::Handle;
using hdf5::LabelledGroup;
using hdf5::write_attribute;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// A numeric dataset of a point's /replicates, read as doubles, with its dimensions' names.
struct Metric {
    std::vector<std::string> dimensions;
    std::vector<hsize_t> shape;
    std::vector<double> values;
    std::string units;
};

// What the sweep summary needs from one point file.
struct PointTables {
    std::map<std::string, Metric> metrics;      // by name
    std::map<std::string, Metric> coordinates;  // numeric coordinates (replicate, week, month)
    std::map<std::string, std::vector<std::string>> named;   // text coordinates (segment, channel)
    std::map<std::string, std::vector<std::string>> labels;  // week_label, month_label
};

std::string read_string_attribute(hid_t object, const char* name) {
    if (H5Aexists(object, name) <= 0) {
        return "";
    }
    const Handle attribute(H5Aopen(object, name, H5P_DEFAULT), H5Aclose, "open attribute");
    const Handle type = hdf5::string_type();
    char* text = nullptr;
    check(H5Aread(attribute, type, &text), std::string("read attribute ") + name);
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
}

std::vector<std::string> read_strings(hid_t dataset) {
    const Handle space(H5Dget_space(dataset), H5Sclose, "get a dataspace");
    const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::vector<char*> pointers(count, nullptr);
    const Handle type = hdf5::string_type();
    if (count > 0) {
        check(H5Dread(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
              "read strings");
    }
    std::vector<std::string> values;
    for (char* pointer : pointers) {
        values.emplace_back(pointer ? pointer : "");
        H5free_memory(pointer);
    }
    return values;
}

// The name of the dimension scale attached to each axis of a dataset.
std::vector<std::string> dimension_names(hid_t dataset, int rank) {
    std::vector<std::string> names;
    for (int axis = 0; axis < rank; ++axis) {
        std::string name;
        H5DSiterate_scales(
            dataset, static_cast<unsigned>(axis), nullptr,
            [](hid_t, unsigned, hid_t scale, void* found) -> herr_t {
                char buffer[256] = {};
                H5DSget_scale_name(scale, buffer, sizeof buffer);
                *static_cast<std::string*>(found) = buffer;
                return 1;  // the first scale names the axis
            },
            &name);
        names.push_back(name);
    }
    return names;
}

std::vector<std::string> member_names(hid_t group) {
    std::vector<std::string> names;
    H5Literate(
        group, H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t, const char* child, const H5L_info_t*, void* found) -> herr_t {
            static_cast<std::vector<std::string>*>(found)->emplace_back(child);
            return 0;
        },
        &names);
    return names;
}

PointTables read_point_tables(const std::string& path) {
    const Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                      "open the point file " + path);
    const Handle group(H5Gopen2(file, "replicates", H5P_DEFAULT), H5Gclose,
                       "open /replicates in " + path);
    const std::vector<std::string> names = member_names(group);
    PointTables tables;
    for (const auto& name : names) {
        const Handle dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose,
                             "open /replicates/" + name);
        const Handle type(H5Dget_type(dataset), H5Tclose, "get a type");
        if (H5Tget_class(type) == H5T_STRING) {
            if (H5DSis_scale(dataset) > 0) {
                tables.named[name] = read_strings(dataset);
            } else {
                tables.labels[name] = read_strings(dataset);
            }
            continue;
        }
        const Handle space(H5Dget_space(dataset), H5Sclose, "get a dataspace");
        const int rank = H5Sget_simple_extent_ndims(space);
        Metric metric;
        metric.shape.resize(static_cast<std::size_t>(rank));
        H5Sget_simple_extent_dims(space, metric.shape.data(), nullptr);
        metric.values.resize(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
        if (!metric.values.empty()) {
            check(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                          metric.values.data()),
                  "read /replicates/" + name);
        }
        metric.units = read_string_attribute(dataset, "units");
        const bool scale = H5DSis_scale(dataset) > 0;
        metric.dimensions = scale ? std::vector<std::string>{name} : dimension_names(dataset, rank);
        (scale ? tables.coordinates : tables.metrics)[name] = std::move(metric);
    }
    return tables;
}

// Copies `values` of `shape` into `out` of `out_shape` at `offset` (the point's first element),
// element by element by multi-index: the rest of `out` keeps its NaN.
void place(const Metric& metric, const std::vector<hsize_t>& out_shape, std::size_t offset,
           std::vector<double>& out) {
    const std::size_t rank = metric.shape.size();
    std::vector<hsize_t> index(rank, 0);
    for (double value : metric.values) {
        std::size_t flat = 0;
        for (std::size_t axis = 0; axis < rank; ++axis) {
            flat = flat * out_shape[axis + 1] + index[axis];
        }
        out[offset + flat] = value;
        for (std::size_t axis = rank; axis-- > 0;) {
            if (++index[axis] < metric.shape[axis]) {
                break;
            }
            index[axis] = 0;
        }
    }
}

void write_parameters(hid_t sweep, LabelledGroup& summary, const SweepMetadata& metadata) {
    LabelledGroup parameters(sweep, "parameters");
    const std::size_t points = metadata.point_values.size();
    parameters.index_coordinate("point", points);
    for (std::size_t p = 0; p < metadata.parameters.size(); ++p) {
        const SweepParameter& parameter = metadata.parameters[p];
        const auto all = [&](auto has) {
            return std::all_of(parameter.values.begin(), parameter.values.end(), has);
        };
        std::vector<double> numbers;
        std::vector<std::string> texts;
        const bool numeric = all([](const SweepValue& v) { return v.number.has_value(); });
        const bool strings = all([](const SweepValue& v) { return v.text.has_value(); });
        for (std::size_t point = 0; point < points; ++point) {
            const SweepValue& value = parameter.values[metadata.point_values[point][p]];
            numbers.push_back(value.number.value_or(nan));
            texts.push_back(strings ? *value.text : value.toml);
        }
        for (LabelledGroup* group : {&parameters, &summary}) {
            if (numeric) {
                group->variable(parameter.key, numbers, {"point"});
            } else {
                group->variable(parameter.key, texts, "point");
            }
        }
        if (!numeric && !strings) {
            write_attribute(parameters.id(), parameter.key + ":format", std::string("TOML"));
        }
    }
}

double read_scalar(hid_t group, const char* name) {
    const Handle dataset(H5Dopen2(group, name, H5P_DEFAULT), H5Dclose,
                         std::string("open /summary/") + name);
    double value = nan;
    check(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value),
          std::string("read /summary/") + name);
    return value;
}

// H5Ocopy does not carry the object references inside the dimension-scale attributes across
// files: drop the copied ones and attach the copies' scales as the source's are attached.
void reattach_scales(hid_t source, hid_t target) {
    const std::vector<std::string> names = member_names(source);
    for (const auto& name : names) {
        H5O_info_t info;
        check(H5Oget_info_by_name(source, name.c_str(), &info, H5P_DEFAULT), "inspect " + name);
        if (info.type == H5O_TYPE_GROUP) {
            const Handle from(H5Gopen2(source, name.c_str(), H5P_DEFAULT), H5Gclose,
                              "open " + name);
            const Handle to(H5Gopen2(target, name.c_str(), H5P_DEFAULT), H5Gclose, "open " + name);
            reattach_scales(from, to);
            continue;
        }
        const Handle copy(H5Dopen2(target, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
        for (const char* attribute : {"DIMENSION_LIST", "REFERENCE_LIST"}) {
            if (H5Aexists(copy, attribute) > 0) {
                check(H5Adelete(copy, attribute), std::string("drop ") + attribute);
            }
        }
    }
    for (const auto& name : names) {
        H5O_info_t info;
        check(H5Oget_info_by_name(source, name.c_str(), &info, H5P_DEFAULT), "inspect " + name);
        if (info.type != H5O_TYPE_DATASET) {
            continue;
        }
        const Handle original(H5Dopen2(source, name.c_str(), H5P_DEFAULT), H5Dclose,
                              "open " + name);
        if (H5DSis_scale(original) > 0) {
            continue;
        }
        const Handle space(H5Dget_space(original), H5Sclose, "get a dataspace");
        const auto dimensions = dimension_names(original, H5Sget_simple_extent_ndims(space));
        const Handle copy(H5Dopen2(target, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
        for (std::size_t axis = 0; axis < dimensions.size(); ++axis) {
            if (dimensions[axis].empty()) {
                continue;
            }
            const Handle scale(H5Dopen2(target, dimensions[axis].c_str(), H5P_DEFAULT), H5Dclose,
                               "open " + dimensions[axis]);
            check(H5DSattach_scale(copy, scale, static_cast<unsigned>(axis)),
                  "attach " + dimensions[axis] + " to " + name);
        }
    }
}

// Copies a point file's groups and root attributes into a new group `name` of `parent`.
void copy_point(const std::string& point_file, hid_t parent, const std::string& name) {
    const Handle source(H5Fopen(point_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                        "open the point file " + point_file);
    const Handle target = hdf5::create_group(parent, name);
    for (const auto& group : member_names(source)) {
        check(H5Ocopy(source, group.c_str(), target, group.c_str(), H5P_DEFAULT, H5P_DEFAULT),
              "copy /" + group + " of " + point_file);
    }
    reattach_scales(source, target);
    const Handle root(H5Gopen2(source, "/", H5P_DEFAULT), H5Gclose, "open the root group");
    H5O_info_t info;
    check(H5Oget_info(root, &info), "inspect the root group");
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        const Handle attribute(
            H5Aopen_by_idx(root, ".", H5_INDEX_NAME, H5_ITER_INC, i, H5P_DEFAULT, H5P_DEFAULT),
            H5Aclose, "open a root attribute");
        char attribute_name[256] = {};
        H5Aget_name(attribute, sizeof attribute_name, attribute_name);
        const Handle type(H5Aget_type(attribute), H5Tclose, "get an attribute type");
        const Handle space(H5Aget_space(attribute), H5Sclose, "get an attribute space");
        const Handle memory_type(H5Tget_native_type(type, H5T_DIR_DEFAULT), H5Tclose,
                                 "get a native type");
        std::vector<unsigned char> buffer(
            H5Tget_size(memory_type) *
            static_cast<std::size_t>(std::max<hssize_t>(1, H5Sget_simple_extent_npoints(space))));
        check(H5Aread(attribute, memory_type, buffer.data()), "read a root attribute");
        const Handle copy(H5Acreate2(target, attribute_name, type, space, H5P_DEFAULT, H5P_DEFAULT),
                          H5Aclose, "copy a root attribute");
        check(H5Awrite(copy, memory_type, buffer.data()), "write a root attribute");
        H5Dvlen_reclaim(memory_type, space, H5P_DEFAULT, buffer.data());
    }
}

}  // namespace

PointHeadline headline_of(const Summary& summary) {
    return {summary.seen_fraction, summary.mean_followers_reached, summary.mean_weekly_reach,
            summary.run_reach};
}

PointHeadline read_point_headline(const std::string& point_file) {
    const Handle file(H5Fopen(point_file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                      "open the point file " + point_file);
    const Handle group(H5Gopen2(file, "summary", H5P_DEFAULT), H5Gclose,
                       "open /summary in " + point_file);
    return {
        {read_scalar(group, "seen_fraction"), read_scalar(group, "seen_fraction_stderr")},
        read_scalar(group, "mean_followers_reached"),
        {read_scalar(group, "mean_weekly_reach"), read_scalar(group, "mean_weekly_reach_stderr")},
        {read_scalar(group, "run_reach"), read_scalar(group, "run_reach_stderr")}};
}

void write_sweep(const std::string& path, const SweepMetadata& metadata,
                 const std::vector<std::string>& point_files) {
    const std::size_t points = point_files.size();
    std::vector<PointTables> tables(points);
    std::vector<std::uint32_t> done(points, 0);
    for (std::size_t point = 0; point < points; ++point) {
        if (!point_files[point].empty()) {
            tables[point] = read_point_tables(point_files[point]);
            done[point] = 1;
        }
    }
    // Each dimension as long as its longest point, with that point's coordinates.
    std::map<std::string, std::size_t> source_of;  // dimension -> point with the most entries
    std::map<std::string, hsize_t> extent;
    for (std::size_t point = 0; point < points; ++point) {
        for (const auto& [name, coordinate] : tables[point].coordinates) {
            if (coordinate.shape[0] > extent[name] || !source_of.contains(name)) {
                extent[name] = std::max(extent[name], coordinate.shape[0]);
                source_of[name] = point;
            }
        }
        for (const auto& [name, names] : tables[point].named) {
            if (names.size() > extent[name] || !source_of.contains(name)) {
                extent[name] = std::max<hsize_t>(extent[name], names.size());
                source_of[name] = point;
            }
        }
    }
    write_atomically(path, [&](std::int64_t file) {
        write_provenance(file, "sweep", metadata.command_line);
        write_attribute(file, "scenario", metadata.scenario_text);
        write_attribute(file, "sweep_identity", metadata.identity);
        write_attribute(file, "sweep_mode", std::string(metadata.zip ? "zip" : "grid"));
        write_attribute(file, "points", static_cast<std::int64_t>(points));
        const auto finished = std::accumulate(done.begin(), done.end(), std::int64_t{0});
        write_attribute(file, "points_done", finished);
        write_attribute(file, "complete",
                        static_cast<std::int32_t>(finished == static_cast<std::int64_t>(points)));

        const Handle sweep = hdf5::create_group(file, "sweep");
        LabelledGroup summary(sweep, "summary");
        summary.index_coordinate("point", points);
        for (const auto& [dimension, point] : source_of) {
            const PointTables& source = tables[point];
            if (source.named.contains(dimension)) {
                summary.coordinate(dimension, source.named.at(dimension));
                continue;
            }
            const Metric& coordinate = source.coordinates.at(dimension);
            if (coordinate.units.empty()) {  // indices: replicates, tracked authors' accounts
                summary.coordinate(dimension, std::vector<std::uint64_t>(coordinate.values.begin(),
                                                                         coordinate.values.end()));
                continue;
            }
            summary.coordinate(dimension, coordinate.values, coordinate.units);
            if (source.labels.contains(dimension + "_label")) {
                summary.variable(dimension + "_label", source.labels.at(dimension + "_label"),
                                 dimension);
            }
        }
        write_parameters(sweep, summary, metadata);
        summary.variable("done", done, {"point"});

        std::string parameter_names;
        for (const auto& parameter : metadata.parameters) {
            parameter_names += (parameter_names.empty() ? "" : " ") + parameter.key;
        }
        // Every metric any point has, [point, its dimensions...], NaN where a point lacks it.
        std::map<std::string, const Metric*> layouts;
        for (const auto& point : tables) {
            for (const auto& [name, metric] : point.metrics) {
                if (name.ends_with("_seconds_in_run")) {
                    continue;  // a property of the calendar, not of a replicate
                }
                layouts.try_emplace(name, &metric);
            }
        }
        for (const auto& [name, layout] : layouts) {
            std::vector<std::string> dimensions{"point"};
            std::vector<hsize_t> shape{points};
            for (const auto& dimension : layout->dimensions) {
                dimensions.push_back(dimension);
                shape.push_back(extent[dimension]);
            }
            const std::size_t per_point = std::accumulate(shape.begin() + 1, shape.end(),
                                                          std::size_t{1}, std::multiplies<>());
            std::vector<double> values(points * per_point, nan);
            for (std::size_t point = 0; point < points; ++point) {
                const auto found = tables[point].metrics.find(name);
                if (found != tables[point].metrics.end()) {
                    place(found->second, shape, point * per_point, values);
                }
            }
            summary.variable(name, values, dimensions);
            // The swept parameters label every metric's points (CF auxiliary coordinates).
            const Handle dataset(H5Dopen2(summary.id(), name.c_str(), H5P_DEFAULT), H5Dclose,
                                 "open /sweep/summary/" + name);
            write_attribute(dataset, "coordinates", parameter_names);
        }

        // Each finished point, exactly as its own run wrote it: group by group (a copy of each
        // group carries its dimension scales along), then the root attributes.
        const Handle copies = hdf5::create_group(file, "points");
        for (std::size_t point = 0; point < points; ++point) {
            if (!point_files[point].empty()) {
                copy_point(point_files[point], copies, std::to_string(point));
            }
        }
    });
}

}  // namespace reachsim
