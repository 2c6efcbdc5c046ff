// When the author posts: a Poisson process following a rhythm, or a schedule of local clock
// times with jitter. Times are simulated seconds in [0, duration), ascending.
#pragma once

#include <vector>

#include "model/model.hpp"
#include "random/random_stream.hpp"

namespace reachsim {

std::vector<double> author_post_times(const Model& model, RandomStream& random);

}  // namespace reachsim
