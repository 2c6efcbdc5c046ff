#include "hdf5/hdf5_objects.hpp"

#include <hdf5_hl.h>

#include <numeric>

namespace reachsim::hdf5 {

Handle::Handle(hid_t id, herr_t (*closer)(hid_t), const std::string& what)
    : id_(id), close_(closer) {
    if (id_ < 0) {
        throw output_error("HDF5: could not " + what);
    }
}

void Handle::close_checked(const std::string& what) {
    const herr_t status = close_(id_);
    id_ = -1;
    if (status < 0) {
        throw output_error("HDF5: could not " + what);
    }
}

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

void write_attribute(hid_t object, const std::string& name, const std::string& value) {
    const Handle type = string_type();
    const Handle space(H5Screate(H5S_SCALAR), H5Sclose, "create a scalar space");
    const Handle attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                           H5Aclose, "create attribute " + name);
    const char* text = value.c_str();
    check(H5Awrite(attribute, type, &text), "write attribute " + name);
}

Handle create_group(hid_t parent, const std::string& name) {
    return {H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
            "create group " + name};
}

LabelledGroup::LabelledGroup(hid_t parent, const std::string& name)
    : group_(create_group(parent, name)) {}

Handle LabelledGroup::create(const std::string& name, hid_t type, const std::vector<hsize_t>& shape,
                             const void* values, const std::string& units) {
    const Handle space(
        shape.empty() ? H5Screate(H5S_SCALAR)
                      : H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
        H5Sclose, "create a dataspace for " + name);
    Handle dataset(
        H5Dcreate2(group_, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose, "create dataset " + name);
    const auto elements =
        std::accumulate(shape.begin(), shape.end(), hsize_t{1}, std::multiplies<>());
    if (elements > 0) {
        check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values),
              "write dataset " + name);
    }
    if (!units.empty()) {
        write_attribute(dataset, "units", units);
    }
    return dataset;
}

void LabelledGroup::add_dimension(const std::string& dimension, Handle scale, std::size_t size) {
    check(H5DSset_scale(scale, dimension.c_str()), "make " + dimension + " a dimension scale");
    dimensions_.emplace(dimension, std::make_pair(std::move(scale), static_cast<hsize_t>(size)));
}

void LabelledGroup::coordinate(const std::string& dimension,
                               const std::vector<std::string>& values) {
    std::vector<const char*> pointers;
    for (const auto& value : values) {
        pointers.push_back(value.c_str());
    }
    const Handle type = string_type();
    add_dimension(dimension, create(dimension, type, {values.size()}, pointers.data(), ""),
                  values.size());
}

void LabelledGroup::index_coordinate(const std::string& dimension, std::size_t size) {
    std::vector<std::uint64_t> index(size);
    std::iota(index.begin(), index.end(), std::uint64_t{0});
    coordinate(dimension, index);
}

std::vector<hsize_t> LabelledGroup::shape_of(const std::string& name,
                                             const std::vector<std::string>& dimensions,
                                             std::size_t values) const {
    std::vector<hsize_t> shape;
    hsize_t elements = 1;
    for (const auto& dimension : dimensions) {
        const auto found = dimensions_.find(dimension);
        if (found == dimensions_.end()) {
            throw internal_error("HDF5 writer: dimension " + dimension + " of " + name +
                                 " was not declared");
        }
        shape.push_back(found->second.second);
        elements *= found->second.second;
    }
    if (elements != values) {
        throw internal_error("HDF5 writer: " + name + " has " + std::to_string(values) +
                             " values for " + std::to_string(elements) + " places");
    }
    return shape;
}

void LabelledGroup::attach(const Handle& dataset, const std::vector<std::string>& dimensions) {
    for (std::size_t axis = 0; axis < dimensions.size(); ++axis) {
        check(H5DSattach_scale(dataset, dimensions_.at(dimensions[axis]).first,
                               static_cast<unsigned>(axis)),
              "attach dimension " + dimensions[axis]);
    }
}

void LabelledGroup::variable(const std::string& name, const std::vector<std::string>& values,
                             const std::string& dimension) {
    std::vector<const char*> pointers;
    for (const auto& value : values) {
        pointers.push_back(value.c_str());
    }
    const auto shape = shape_of(name, {dimension}, values.size());
    const Handle type = string_type();
    attach(create(name, type, shape, pointers.data(), ""), {dimension});
}

}  // namespace reachsim::hdf5
