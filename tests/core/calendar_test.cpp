// The run calendar of campaign metrics: days, Monday weeks and months in the author's local time.
#include <catch2/catch.hpp>

#include "core/calendar.hpp"
#include "core/time.hpp"

using namespace reachsim;

TEST_CASE("a run starting on a Wednesday morning: weeks from the Monday before, months whole") {
    const RunCalendar calendar(*parse_utc_instant("2012-01-04T10:00:00Z"), 0.0,
                               30 * seconds_per_day);
    CHECK(calendar.day_of(0) == 0);
    CHECK(calendar.day_of(14 * seconds_per_hour - 1) == 0);  // 23:59:59 on the first day
    CHECK(calendar.day_of(14 * seconds_per_hour) == 1);
    CHECK(calendar.days() == 31);  // Wed 4 Jan 10:00 ... Fri 3 Feb 10:00 touches 31 days
    const auto& weeks = calendar.weeks();
    REQUIRE(weeks.size() == 5);
    CHECK(weeks[0].label == "2012-01-02");
    CHECK(weeks[0].start_seconds == -(2 * seconds_per_day + 10 * seconds_per_hour));
    CHECK(weeks[0].seconds_in_run == 4 * seconds_per_day + 14 * seconds_per_hour);
    CHECK(weeks[1].label == "2012-01-09");
    CHECK(weeks[1].seconds_in_run == seconds_per_week);
    CHECK(weeks[4].label == "2012-01-30");
    CHECK(weeks[4].seconds_in_run == 4 * seconds_per_day + 10 * seconds_per_hour);
    CHECK(calendar.week_of_day(4) == 0);  // Sunday 8 January
    CHECK(calendar.week_of_day(5) == 1);  // Monday 9 January
    const auto& months = calendar.months();
    REQUIRE(months.size() == 2);
    CHECK(months[0].label == "2012-01");
    CHECK(months[0].days == 31);
    CHECK(months[1].label == "2012-02");
    CHECK(months[1].days == 29);  // a leap year
    CHECK(months[1].seconds_in_run == 2 * seconds_per_day + 10 * seconds_per_hour);
    CHECK(calendar.month_of_day(27) == 0);  // 31 January
    CHECK(calendar.month_of_day(28) == 1);  // 1 February
}

TEST_CASE("the calendar is local: at UTC-5 a start just after midnight UTC is the evening before") {
    // 2012-01-02T03:00Z is Sunday 1 January 22:00 at UTC-5.
    const RunCalendar calendar(*parse_utc_instant("2012-01-02T03:00:00Z"), -5.0,
                               7 * seconds_per_day);
    CHECK(calendar.day_of(0) == 0);
    CHECK(calendar.day_of(2 * seconds_per_hour) == 1);  // Monday, local midnight
    REQUIRE(calendar.weeks().size() == 2);
    CHECK(calendar.weeks()[0].label == "2011-12-26");
    CHECK(calendar.weeks()[0].seconds_in_run == 2 * seconds_per_hour);
    CHECK(calendar.weeks()[1].label == "2012-01-02");
    CHECK(calendar.months().size() == 1);
    CHECK(calendar.months()[0].label == "2012-01");
}
