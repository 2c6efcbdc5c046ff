#include "model/graph_model.hpp"

#include <numeric>

namespace reachsim {

double Distribution::expected() const {
    switch (kind) {
        case Kind::fixed:
            return value;
        case Kind::lognormal:
            return mean;
        case Kind::empirical:
            return values.empty() ? 0.0
                                  : std::accumulate(values.begin(), values.end(), 0.0) /
                                        static_cast<double>(values.size());
    }
    return 0.0;
}

}  // namespace reachsim
