// $top and $skiptoken, and the refusal of every other query option.
#include <PageOptions.h>

#include <gtest/gtest.h>

namespace citysense::api {
namespace {

TEST(PageOptions, TopDefaultsTo100AndStopsAt10000) {
    EXPECT_EQ(parsePageOptions({}).top, 100u);
    EXPECT_EQ(parsePageOptions({{"$top", "0"}}).top, 0u);
    EXPECT_EQ(parsePageOptions({{"$top", "250"}}).top, 250u);
    EXPECT_EQ(parsePageOptions({{"$top", "999999999"}}).top, 10000u);
    EXPECT_EQ(parsePageOptions({{"$skiptoken", "3-17"}}).skipToken, "3-17");
}

TEST(PageOptions, RefusesMalformedRepeatedAndUnsupportedOptions) {
    for (const Poco::URI::QueryParameters& parameters :
         std::vector<Poco::URI::QueryParameters>{{{"$top", ""}},
                                                 {{"$top", "-1"}},
                                                 {{"$top", "1e3"}},
                                                 {{"$top", "1234567890"}},
                                                 {{"$top", "1"}, {"$top", "2"}},
                                                 {{"$skiptoken", "1"}, {"$skiptoken", "2"}},
                                                 {{"$filter", "result gt 1"}},
                                                 {{"$skip", "10"}},
                                                 {{"top", "1"}}})
        EXPECT_THROW(parsePageOptions(parameters), BadOption);
}

}  // namespace
}  // namespace citysense::api
