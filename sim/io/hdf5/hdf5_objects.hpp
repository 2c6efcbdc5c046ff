// HDF5 building blocks for the writers: owned identifiers, typed attributes, and labelled groups
// whose datasets carry named dimensions (HDF5 dimension scales) and CF `units`, so that
// xarray.open_dataset(path, engine="h5netcdf", group=...) opens each group as a Dataset with
// coordinates. Any HDF5 failure is an output_error.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "core/errors.hpp"

namespace reachsim::hdf5 {

// Owns an HDF5 identifier and closes it with the matching function.
class Handle {
  public:
    Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what);
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
    void close_checked(const std::string& what);

  private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what);

// Variable-length UTF-8 strings (h5py and xarray read them back as str).
Handle string_type();

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

void write_attribute(hid_t object, const std::string& name, const std::string& value);
template <typename T>
void write_attribute(hid_t object, const std::string& name, T value) {
    const Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
    const Handle attribute(
        H5Acreate2(object, name.c_str(), native_type<T>(), space, H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose, "create attribute " + name);
    check(H5Awrite(attribute, native_type<T>(), &value), "write attribute " + name);
}

// A group whose datasets are labelled by dimensions: first declare each dimension with its
// coordinate (a 1-D dataset named after it), then write variables over declared dimensions.
class LabelledGroup {
  public:
    LabelledGroup(hid_t parent, const std::string& name);
    [[nodiscard]] hid_t id() const { return group_; }

    template <typename T>
    void coordinate(const std::string& dimension, const std::vector<T>& values,
                    const std::string& units = "") {
        add_dimension(dimension,
                      create(dimension, native_type<T>(), {values.size()}, values.data(), units),
                      values.size());
    }
    void coordinate(const std::string& dimension, const std::vector<std::string>& values);
    // A dimension labelled 0, 1, ... n-1 (rows of a table).
    void index_coordinate(const std::string& dimension, std::size_t size);

    // `values` row-major over `dimensions` (declared before); `units` a CF unit ("seconds",
    // "seconds since 2026-01-05T00:00:00Z") or "".
    template <typename T>
    void variable(const std::string& name, const std::vector<T>& values,
                  const std::vector<std::string>& dimensions, const std::string& units = "") {
        const auto shape = shape_of(name, dimensions, values.size());
        attach(create(name, native_type<T>(), shape, values.data(), units), dimensions);
    }
    void variable(const std::string& name, const std::vector<std::string>& values,
                  const std::string& dimension);
    template <typename T>
    void scalar(const std::string& name, T value, const std::string& units = "") {
        create(name, native_type<T>(), {}, &value, units);
    }

  private:
    Handle create(const std::string& name, hid_t type, const std::vector<hsize_t>& shape,
                  const void* values, const std::string& units);
    void add_dimension(const std::string& dimension, Handle scale, std::size_t size);
    std::vector<hsize_t> shape_of(const std::string& name,
                                  const std::vector<std::string>& dimensions,
                                  std::size_t values) const;
    void attach(const Handle& dataset, const std::vector<std::string>& dimensions);

    Handle group_;
    std::map<std::string, std::pair<Handle, hsize_t>> dimensions_;
};

// A plain group (for groups that only hold other groups).
Handle create_group(hid_t parent, const std::string& name);

}  // namespace reachsim::hdf5
