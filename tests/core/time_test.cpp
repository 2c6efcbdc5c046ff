#include <catch2/catch.hpp>

#include "core/time.hpp"

using namespace reachsim;

TEST_CASE("durations carry units") {
    CHECK(parse_duration_seconds("90s") == 90.0);
    CHECK(parse_duration_seconds("30m") == 1800.0);
    CHECK(parse_duration_seconds("2h") == 7200.0);
    CHECK(parse_duration_seconds("1.5h") == 5400.0);
    CHECK(parse_duration_seconds("7d") == 7 * 86400.0);
    CHECK_FALSE(parse_duration_seconds("30"));
    CHECK_FALSE(parse_duration_seconds("-3h"));
    CHECK_FALSE(parse_duration_seconds("h"));
    CHECK_FALSE(parse_duration_seconds("3x"));
    for (double seconds : {90.0, 1800.0, 7200.0, 86400.0 * 90, 1.25}) {
        CHECK(parse_duration_seconds(format_duration(seconds)) == seconds);
    }
}

TEST_CASE("UTC instants parse to Unix seconds and back") {
    CHECK(parse_utc_instant("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_utc_instant("2012-01-02T00:00:00Z") == 1325462400);
    CHECK(parse_utc_instant("2012-01-02T00:00Z") == 1325462400);
    CHECK(format_utc_instant(1325462400) == "2012-01-02T00:00:00Z");
    CHECK_FALSE(parse_utc_instant("2012-02-30T00:00:00Z"));
    CHECK_FALSE(parse_utc_instant("2012-01-02T00:00:00"));
    CHECK_FALSE(parse_utc_instant("yesterday"));
}

TEST_CASE("UTC offsets accept hours and minutes") {
    CHECK(parse_utc_offset_hours("+05:30") == 5.5);
    CHECK(parse_utc_offset_hours("-5") == -5.0);
    CHECK(parse_utc_offset_hours("+0") == 0.0);
    CHECK(format_utc_offset(-3.5) == "-03:30");
    CHECK_FALSE(parse_utc_offset_hours("5"));
    CHECK_FALSE(parse_utc_offset_hours("+15:00"));
    CHECK_FALSE(parse_utc_offset_hours("+05:75"));
}

TEST_CASE("weekday sets take ranges, lists and wrap-around") {
    const WeekdaySet weekdays{true, true, true, true, true, false, false};
    CHECK(parse_weekdays("mon-fri") == weekdays);
    CHECK(parse_weekdays("fri-mon") == WeekdaySet{true, false, false, false, true, true, true});
    CHECK(parse_weekdays("sat,sun") == WeekdaySet{false, false, false, false, false, true, true});
    CHECK(parse_weekdays("all") == WeekdaySet{true, true, true, true, true, true, true});
    CHECK(parse_weekdays(format_weekdays(weekdays)) == weekdays);
    CHECK_FALSE(parse_weekdays("weekdays"));
    CHECK_FALSE(parse_weekdays("mon,"));
}

TEST_CASE("the local week position knows Monday and the offset") {
    const auto monday = *parse_utc_instant("2012-01-02T00:00:00Z");
    CHECK(local_week_position_seconds(monday, 0) == 0.0);
    // 00:00 UTC Monday is 19:00 Sunday at UTC-5: six days and nineteen hours into the local week.
    CHECK(local_week_position_seconds(monday, -5) == 6 * 86400.0 + 19 * 3600.0);
    CHECK(local_week_position_seconds(monday, 5.5) == 5.5 * 3600.0);
}
