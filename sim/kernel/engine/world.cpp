#include "engine/world.hpp"

namespace reachsim {

World star_world(const Model& model, std::uint64_t seed) {
    World world;
    world.accounts = make_accounts(model, star_segments(model.segments), nullptr, seed);
    world.tracked_authors = {0};
    world.tracked_followers.resize(1);
    for (std::size_t a = 1; a < world.accounts.size(); ++a) {
        world.tracked_followers[0].push_back(static_cast<AccountIndex>(a));
    }
    return world;
}

RunCalendar run_calendar(const Model& model, const World& world) {
    const double offset_hours = world.tracked_authors.empty()
                                    ? 0.0
                                    : world.accounts.utc_offset_hours(world.tracked_authors[0]);
    return {model.start_unix_seconds, offset_hours, model.duration_seconds};
}

}  // namespace reachsim
