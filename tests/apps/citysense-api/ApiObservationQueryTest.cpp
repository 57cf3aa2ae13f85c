// The query options of Observations (and $filter on Things and Datastreams) through the real citysense-api,
// over SQLite and a real MariaDB: $filter on each property it compares, navigation to the Datastream, its
// Thing and ObservedProperty, and, or, not; $orderby in every order it pages, $skip, $select, $count,
// dataArray, $expand; every refusal a 400 naming the option and the position; hostile filters (SQL in
// literals, 100 kB, deep parentheses) are refused or answered correctly, and the store is as it was.
#include "ApiTestStore.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;

constexpr Micros kTime = 1764000000123456;  // 2025-11-24 16:00:00.123456 UTC

const std::string kFirst = "1-1764000000123456";   // no2 at street_01, 21.5
const std::string kSecond = "1-1764000001123456";  // no2 at street_01, a second later, 0.1
const std::string kThird = "2-1764000000123456";   // temperature at street_01, -3.25
const std::string kFourth = "3-1764000002123456";  // so2 at street_02, 7

std::string encoded(const std::string& text) {
    std::string result;
    Poco::URI::encode(text, "&=+#%?", result);
    return result;
}

class ObservationQuery : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>(GetParam());
        _store->execute(
            "INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES "
            "(1, 'hypo_city', 'city_01', 'street_01', 52.52, 13.405), "
            "(2, 'hypo_city', 'city_01', 'street_02', NULL, NULL);"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES "
            "(1, 1, 'no2', 'ppb', 'driver.street'), (2, 1, 'temperature', 'Cel', 'driver.street'), "
            "(3, 2, 'so2', 'ppb', 'driver.air');"
            "INSERT INTO readings (sensor_id, time, value, quality) VALUES (1, " +
            _store->timeLiteral(kTime) + ", 21.5, 0), (1, " + _store->timeLiteral(kTime + 1000000) +
            ", 0.1, 9), (2, " + _store->timeLiteral(kTime) + ", -3.25, 0), (3, " +
            _store->timeLiteral(kTime + 2000000) + ", 7, 0);");
        _service = std::make_unique<ApiService>(_store->writeConfiguration());
    }

    ApiAnswer get(const std::string& collection, const std::string& filter) const {
        return _service->get("/v1.1/" + collection + "?$filter=" + encoded(filter));
    }

    /// The ids of the Observations `filter` selects, in the collection's order.
    std::vector<std::string> matching(const std::string& filter,
                                      const std::string& collection = "Observations") const {
        const ApiAnswer answer = get(collection, filter);
        EXPECT_EQ(answer.status, 200) << filter << ": " << answer.body;
        std::vector<std::string> ids;
        if (!answer.json)
            return ids;
        const auto values = answer.json->getArray("value");
        for (std::size_t at = 0; at < values->size(); ++at)
            ids.push_back(values->getObject(static_cast<unsigned>(at))->getValue<std::string>("@iot.id"));
        return ids;
    }

    /// The 400 `filter` gets: its message, after checking it names $filter at `position`.
    std::string refusal(const std::string& filter, std::size_t position,
                        const std::string& collection = "Observations") const {
        const ApiAnswer answer = get(collection, filter);
        EXPECT_EQ(answer.status, 400) << filter << ": " << answer.body;
        if (!answer.json)
            return "";
        EXPECT_EQ(answer.json->getValue<std::string>("option"), "$filter") << answer.body;
        EXPECT_EQ(answer.json->getValue<std::size_t>("position"), position) << filter << ": " << answer.body;
        return answer.json->getValue<std::string>("message");
    }

    using Ids = std::vector<std::string>;

    std::unique_ptr<ApiTestStore> _store;
    std::unique_ptr<ApiService> _service;
};

TEST_P(ObservationQuery, ComparesTimeAndResult) {
    EXPECT_EQ(matching("result gt 0"), (Ids{kFirst, kSecond, kFourth}));
    EXPECT_EQ(matching("result eq 21.5 or result eq -3.25"), (Ids{kFirst, kThird}));
    EXPECT_EQ(matching("5 lt result"), (Ids{kFirst, kFourth}));  // the literal on the left
    EXPECT_EQ(matching("phenomenonTime ge 2025-11-24T16:00:01Z"), (Ids{kSecond, kFourth}));
    EXPECT_EQ(matching("resultTime lt 2025-11-24T17:00:00.123457+01:00"), (Ids{kFirst, kThird}));
    EXPECT_EQ(matching("phenomenonTime eq 2025-11-24T16:00:00.123456Z and not (result lt 0)"), (Ids{kFirst}));
    EXPECT_EQ(matching("result gt 1000"), Ids{});
    EXPECT_EQ(matching("true"), (Ids{kFirst, kThird, kSecond, kFourth}));
}

TEST_P(ObservationQuery, FollowsTheDatastreamToItsThingAndObservedProperty) {
    EXPECT_EQ(matching("Datastream/@iot.id eq 2"), (Ids{kThird}));
    EXPECT_EQ(matching("Datastream/ObservedProperty/name eq 'no2'"), (Ids{kFirst, kSecond}));
    EXPECT_EQ(matching("Datastream/ObservedProperty/name ne 'no2' and result lt 10"), (Ids{kThird, kFourth}));
    EXPECT_EQ(matching("Datastream/Thing/@iot.id eq 2"), (Ids{kFourth}));
    EXPECT_EQ(matching("Datastream/Thing/name eq 'hypo_city/city_01/street_01'"),
              (Ids{kFirst, kThird, kSecond}));
    EXPECT_EQ(matching("Datastream/Thing/name ne 'hypo_city/city_01/street_01'"), (Ids{kFourth}));
    EXPECT_EQ(matching("@iot.id eq '" + kSecond + "'"), (Ids{kSecond}));
    EXPECT_EQ(matching("@iot.id ne '" + kSecond + "' and result gt 0"), (Ids{kFirst, kFourth}));
}

TEST_P(ObservationQuery, AppliesToADatastreamsObservationsAndItsPagesCarryIt) {
    EXPECT_EQ(matching("result lt 1", "Datastreams(1)/Observations"), (Ids{kSecond}));
    const ApiAnswer first =
        _service->get("/v1.1/Observations?$top=1&$filter=" + encoded("Datastream/Thing/@iot.id eq 1"));
    ASSERT_EQ(first.status, 200) << first.body;
    ASSERT_TRUE(first.json->has("@iot.nextLink")) << first.body;
    EXPECT_THAT(first.json->getValue<std::string>("@iot.nextLink"),
                HasSubstr("&$filter=Datastream/Thing/@iot.id%20eq%201&$skiptoken="));
    Ids seen;
    std::string next = first.json->getValue<std::string>("@iot.nextLink");
    seen.push_back(first.json->getArray("value")->getObject(0)->getValue<std::string>("@iot.id"));
    while (!next.empty()) {
        const ApiAnswer page = _service->get(next);
        ASSERT_EQ(page.status, 200) << page.body;
        const auto values = page.json->getArray("value");
        for (std::size_t at = 0; at < values->size(); ++at)
            seen.push_back(values->getObject(static_cast<unsigned>(at))->getValue<std::string>("@iot.id"));
        next = page.json->has("@iot.nextLink") ? page.json->getValue<std::string>("@iot.nextLink") : "";
    }
    EXPECT_EQ(seen, (Ids{kFirst, kThird, kSecond}));
}

TEST_P(ObservationQuery, RefusesWhatObservationsCannotAnswerAtItsPosition) {
    EXPECT_THAT(refusal("result eq 'high'", 10), HasSubstr("result is a number"));
    EXPECT_THAT(refusal("phenomenonTime gt 5", 18), HasSubstr("phenomenonTime is a time"));
    EXPECT_THAT(refusal("Datastream/@iot.id eq 'x'", 22), HasSubstr("whole number"));
    EXPECT_THAT(refusal("Datastream/ObservedProperty/name eq 8", 36), HasSubstr("text"));
    EXPECT_THAT(refusal("result gt 0 and name eq 'x'", 16), HasSubstr("Observations have no property name"));
    EXPECT_THAT(refusal("Datastream/Foo eq 1", 0), HasSubstr("no property Datastream/Foo"));
    EXPECT_THAT(refusal("result add 1 gt 5", 7), HasSubstr("arithmetic is not supported on Observations"));
    EXPECT_THAT(refusal("startswith(result,'1')", 11),
                HasSubstr("startswith() is not supported on result of Observations"));
    EXPECT_THAT(refusal("tolower(result) eq 'x'", 8), HasSubstr("tolower() is not supported on result"));
    EXPECT_THAT(refusal("startswith(Datastream/ObservedProperty/name,5)", 44),
                HasSubstr("takes a quoted string"));
    EXPECT_THAT(refusal("geo.intersects(result,geography'BBOX(1,2,3,4)')", 0),
                HasSubstr("geo.intersects() is not supported on Observations"));
    EXPECT_THAT(refusal("result eq null", 10), HasSubstr("never null"));
    EXPECT_THAT(refusal("@iot.id gt 'a'", 8), HasSubstr("eq or ne only"));
    EXPECT_THAT(refusal("result", 0), HasSubstr("not a condition"));
    EXPECT_THAT(refusal("result gt", 9), HasSubstr("expected a value"));
    EXPECT_THAT(refusal("name eq 'x'", 0, "Sensors"), HasSubstr("not supported on Sensors yet"));
    EXPECT_THAT(refusal("result gt 1", 0, "Things"), HasSubstr("Things have no property result"));
    EXPECT_THAT(refusal("@iot.id eq 'one'", 11, "Datastreams"), HasSubstr("whole number"));
    EXPECT_THAT(refusal("result gt 0", 0, "Observations('" + kFirst + "')"), HasSubstr("not one entity"));
}

TEST_P(ObservationQuery, RefusesOptionsNotServedYetNamingThem) {
    for (const auto& [query, option] :
         std::vector<std::pair<std::string, std::string>>{{"$resultFormat=csv", "$resultFormat"},
                                                          {"$frobnicate=1", "$frobnicate"},
                                                          {"top=1", "top"},
                                                          {"$top=x", "$top"}}) {
        const ApiAnswer answer = _service->get("/v1.1/Observations?" + query);
        EXPECT_EQ(answer.status, 400) << query << ": " << answer.body;
        ASSERT_TRUE(answer.json) << answer.body;
        EXPECT_EQ(answer.json->getValue<std::string>("option"), option) << answer.body;
    }
    EXPECT_EQ(_service->get("/v1.1/Things?$count=false&$skip=0").status, 200);
}

/// Every id of `target`'s collection, following @iot.nextLink.
std::vector<std::string> walk(const ApiService& service, std::string target) {
    std::vector<std::string> seen;
    while (!target.empty()) {
        const ApiAnswer page = service.get(target);
        EXPECT_EQ(page.status, 200) << target << ": " << page.body;
        if (page.status != 200)
            break;
        const auto values = page.json->getArray("value");
        for (std::size_t at = 0; at < values->size(); ++at)
            seen.push_back(values->getObject(static_cast<unsigned>(at))->getValue<std::string>("@iot.id"));
        target = page.json->has("@iot.nextLink") ? page.json->getValue<std::string>("@iot.nextLink") : "";
    }
    return seen;
}

TEST_P(ObservationQuery, OrdersByTimeOrResultEitherWay) {
    const auto ordered = [&](const std::string& query) { return walk(*_service, "/v1.1/" + query); };
    EXPECT_EQ(ordered("Observations?$orderby=phenomenonTime%20desc"),
              (Ids{kFourth, kSecond, kThird, kFirst}));
    EXPECT_EQ(ordered("Observations?$orderby=resultTime%20asc"), (Ids{kFirst, kThird, kSecond, kFourth}));
    EXPECT_EQ(ordered("Observations?$orderby=result"), (Ids{kThird, kSecond, kFourth, kFirst}));
    EXPECT_EQ(ordered("Observations?$orderby=result%20desc,phenomenonTime%20desc"),
              (Ids{kFirst, kFourth, kSecond, kThird}));
    EXPECT_EQ(ordered("Datastreams(1)/Observations?$orderby=phenomenonTime%20desc"), (Ids{kSecond, kFirst}));
    EXPECT_EQ(ordered("Observations?$orderby=result&$filter=" + encoded("result gt 0")),
              (Ids{kSecond, kFourth, kFirst}));
    EXPECT_EQ(ordered("Things?$orderby=@iot.id").size(), 2u);
}

TEST_P(ObservationQuery, PagesOfOneVisitEveryReadingOnceInEveryOrder) {
    // Ties: three more readings with the result 7, two of them at one time.
    _store->execute("INSERT INTO readings (sensor_id, time, value, quality) VALUES (1, " +
                    _store->timeLiteral(kTime + 3000000) + ", 7, 0), (2, " +
                    _store->timeLiteral(kTime + 3000000) + ", 7, 0), (2, " +
                    _store->timeLiteral(kTime + 4000000) + ", 7, 0);");
    for (const char* collection : {"Observations", "Datastreams(2)/Observations"}) {
        for (const std::string order :
             {"", "phenomenonTime%20desc", "result", "result%20desc", "result%20asc,resultTime%20asc"}) {
            for (const std::string& filter : std::vector<std::string>{"", encoded("result ge 0")}) {
                const std::string all = std::string("/v1.1/") + collection + "?" +
                                        (order.empty() ? "" : "$orderby=" + order) +
                                        (filter.empty() ? "" : "&$filter=" + filter);
                const Ids whole = walk(*_service, all);
                EXPECT_EQ(walk(*_service, all + "&$top=1"), whole) << all;
                EXPECT_EQ(walk(*_service, all + "&$top=2"), whole) << all;
                EXPECT_GE(whole.size(), std::string(collection) == "Observations" ? 5u : 2u) << all;
            }
        }
    }
}

TEST_P(ObservationQuery, SkipPassesOverTheFirstAndTheNextPagesContinueFromAKey) {
    const ApiAnswer first = _service->get("/v1.1/Observations?$orderby=result&$skip=1&$top=2");
    ASSERT_EQ(first.status, 200) << first.body;
    const std::string next = first.json->getValue<std::string>("@iot.nextLink");
    EXPECT_EQ(next.find("$skip="), std::string::npos) << next;
    EXPECT_EQ(walk(*_service, "/v1.1/Observations?$orderby=result&$skip=1&$top=2"),
              (Ids{kSecond, kFourth, kFirst}));
    EXPECT_EQ(walk(*_service, "/v1.1/Datastreams(1)/Observations?$skip=1"), (Ids{kSecond}));
    EXPECT_EQ(walk(*_service, "/v1.1/Observations?$skip=99"), Ids{});
}

TEST_P(ObservationQuery, RefusesOrdersItCannotPage) {
    for (const auto& [target, option] : std::vector<std::pair<std::string, std::string>>{
             {"Observations?$orderby=@iot.id", "$orderby"},
             {"Observations?$orderby=result,Datastream/@iot.id", "$orderby"},
             {"Observations?$orderby=result%20desc,phenomenonTime%20asc", "$orderby"},
             {"Observations?$orderby=Datastream/Thing/name", "$orderby"},
             {"Things?$orderby=name", "$orderby"},
             {"Things?$orderby=@iot.id%20desc", "$orderby"},
             {"Things?$skip=1", "$skip"},
             {"Observations?$orderby=result&$skiptoken=" + kFirst, "$skiptoken"},
             {"Observations?$skiptoken=21.5~" + kFirst, "$skiptoken"},
             {"Observations?$orderby=result&$skiptoken=inf~" + kFirst, "$skiptoken"}}) {
        const ApiAnswer answer = _service->get("/v1.1/" + target);
        EXPECT_EQ(answer.status, 400) << target << ": " << answer.body;
        ASSERT_TRUE(answer.json) << answer.body;
        EXPECT_EQ(answer.json->getValue<std::string>("option"), option) << answer.body;
    }
    EXPECT_THAT(_service->get("/v1.1/Observations?$orderby=@iot.id").json->getValue<std::string>("message"),
                HasSubstr("could not be continued correctly"));
}

/// The keys of `object`, sorted.
std::vector<std::string> keys(const Poco::JSON::Object::Ptr& object) {
    std::vector<std::string> names;
    object->getNames(names);
    std::sort(names.begin(), names.end());
    return names;
}

TEST_P(ObservationQuery, SelectKeepsOnlyTheChosenProperties) {
    const ApiAnswer page = _service->get("/v1.1/Observations?$select=result,phenomenonTime&$top=1");
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(keys(page.json->getArray("value")->getObject(0)), (Ids{"phenomenonTime", "result"}));
    EXPECT_THAT(page.json->getValue<std::string>("@iot.nextLink"),
                HasSubstr("&$select=result%2CphenomenonTime&"));
    const ApiAnswer withId =
        _service->get("/v1.1/Observations('" + kFirst + "')?$select=id,result,Datastream");
    ASSERT_EQ(withId.status, 200) << withId.body;
    EXPECT_EQ(keys(withId.json), (Ids{"@iot.id", "Datastream@iot.navigationLink", "result"}));
    EXPECT_EQ(withId.json->getValue<double>("result"), 21.5);
    EXPECT_EQ(keys(_service->get("/v1.1/Things(1)?$select=properties,name,@iot.selfLink").json),
              (Ids{"@iot.selfLink", "name", "properties"}));
    EXPECT_EQ(keys(_service->get("/v1.1/Things(1)/Datastreams?$select=unitOfMeasurement,Thing")
                       .json->getArray("value")
                       ->getObject(1)),
              (Ids{"Thing@iot.navigationLink", "unitOfMeasurement"}));

    for (const auto& [target, position, message] :
         std::vector<std::tuple<std::string, std::size_t, std::string>>{
             {"Observations?$select=result,%20colour", 8, "Observations have no property colour"},
             {"Things?$select=properties/street", 0, "select a whole property"},
             {"Things(1)?$select=result", 0, "Things have no property result"}}) {
        const ApiAnswer answer = _service->get("/v1.1/" + target);
        EXPECT_EQ(answer.status, 400) << target << ": " << answer.body;
        ASSERT_TRUE(answer.json) << answer.body;
        EXPECT_EQ(answer.json->getValue<std::string>("option"), "$select") << answer.body;
        EXPECT_EQ(answer.json->getValue<std::size_t>("position"), position) << answer.body;
        EXPECT_THAT(answer.json->getValue<std::string>("message"), HasSubstr(message));
    }
}

TEST_P(ObservationQuery, DataArrayGroupsAPageByDatastream) {
    const ApiAnswer answer = _service->get("/v1.1/Observations?$resultFormat=dataArray");
    ASSERT_EQ(answer.status, 200) << answer.body;
    const auto groups = answer.json->getArray("value");
    ASSERT_EQ(groups->size(), 3u) << answer.body;
    const auto first = groups->getObject(0);
    EXPECT_EQ(first->getValue<std::string>("Datastream@iot.navigationLink"),
              "http://127.0.0.1:" + std::to_string(_service->port()) + "/v1.1/Datastreams(1)");
    EXPECT_EQ(first->getArray("components")->size(), 4u);
    EXPECT_EQ(first->getArray("components")->getElement<std::string>(0), "id");
    EXPECT_EQ(first->getValue<int>("dataArray@iot.count"), 2);
    const auto row = first->getArray("dataArray")->getArray(1);
    const auto object = _service->get("/v1.1/Observations('" + kSecond + "')").json;
    EXPECT_EQ(row->getElement<std::string>(0), kSecond);
    EXPECT_EQ(row->getElement<std::string>(1), object->getValue<std::string>("phenomenonTime"));
    EXPECT_EQ(row->getElement<std::string>(2), object->getValue<std::string>("resultTime"));
    EXPECT_EQ(row->getElement<double>(3), 0.1);
    EXPECT_EQ(groups->getObject(2)->getArray("dataArray")->getArray(0)->getElement<std::string>(0), kFourth);

    const ApiAnswer chosen =
        _service->get("/v1.1/Datastreams(1)/Observations?$resultFormat=dataArray&$select=result,id&$top=1");
    ASSERT_EQ(chosen.status, 200) << chosen.body;
    const auto group = chosen.json->getArray("value")->getObject(0);
    EXPECT_EQ(group->getArray("components")->getElement<std::string>(0), "result");
    EXPECT_EQ(group->getArray("components")->getElement<std::string>(1), "id");
    EXPECT_EQ(group->getArray("dataArray")->getArray(0)->getElement<double>(0), 21.5);
    EXPECT_THAT(chosen.json->getValue<std::string>("@iot.nextLink"), HasSubstr("$resultFormat=dataArray"));

    for (const auto& [target, option] : std::vector<std::pair<std::string, std::string>>{
             {"Observations?$resultFormat=dataArray&$select=Datastream", "$select"},
             {"Things?$resultFormat=dataArray", "$resultFormat"},
             {"Observations('" + kFirst + "')?$resultFormat=dataArray", "$resultFormat"}}) {
        const ApiAnswer refused = _service->get("/v1.1/" + target);
        EXPECT_EQ(refused.status, 400) << target << ": " << refused.body;
        ASSERT_TRUE(refused.json) << refused.body;
        EXPECT_EQ(refused.json->getValue<std::string>("option"), option) << refused.body;
    }
}

TEST_P(ObservationQuery, ExpandEmbedsOneLevelWithItsOwnOptions) {
    const ApiAnswer things = _service->get("/v1.1/Things?$expand=Datastreams($select=name;$top=1)");
    ASSERT_EQ(things.status, 200) << things.body;
    const auto first = things.json->getArray("value")->getObject(0);
    ASSERT_EQ(first->getArray("Datastreams")->size(), 1u) << things.body;
    EXPECT_EQ(keys(first->getArray("Datastreams")->getObject(0)), (Ids{"name"}));
    const std::string more = first->getValue<std::string>("Datastreams@iot.nextLink");
    EXPECT_THAT(more, HasSubstr("/Things(1)/Datastreams?$top=1&$select=name&$skiptoken=1"));
    const ApiAnswer rest = _service->get(more);
    ASSERT_EQ(rest.status, 200) << rest.body;
    EXPECT_EQ(keys(rest.json->getArray("value")->getObject(0)), (Ids{"name"}));
    EXPECT_FALSE(rest.json->has("@iot.nextLink"));
    EXPECT_FALSE(things.json->getArray("value")->getObject(1)->has("Datastreams@iot.nextLink"));

    const ApiAnswer one =
        _service->get("/v1.1/Observations('" + kFirst + "')?$expand=Datastream($select=name)");
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(keys(one.json->getObject("Datastream")), (Ids{"name"}));
    EXPECT_EQ(one.json->getValue<double>("result"), 21.5);

    const ApiAnswer datastream =
        _service->get("/v1.1/Datastreams(1)?$select=name&$expand=Thing($select=name),Observations($filter=" +
                      encoded("result gt 1") + ";$orderby=result%20desc;$count=true;$select=result)");
    ASSERT_EQ(datastream.status, 200) << datastream.body;
    EXPECT_EQ(keys(datastream.json), (Ids{"Observations", "Observations@iot.count", "Thing", "name"}));
    EXPECT_EQ(datastream.json->getValue<int>("Observations@iot.count"), 1);
    EXPECT_EQ(datastream.json->getArray("Observations")->getObject(0)->getValue<double>("result"), 21.5);
    EXPECT_EQ(datastream.json->getObject("Thing")->getValue<std::string>("name"),
              "hypo_city/city_01/street_01");

    for (const std::string& target :
         {std::string("Things?$expand=Foxes"),
          "Observations?$expand=Datastream($filter=" + encoded("result gt 1") + ")",
          std::string("Things?$expand=Datastreams($select=colour)"),
          std::string("Things?$expand=Datastreams($expand=Thing)")}) {
        const ApiAnswer refused = _service->get("/v1.1/" + target);
        EXPECT_EQ(refused.status, 400) << target << ": " << refused.body;
        ASSERT_TRUE(refused.json) << refused.body;
        EXPECT_EQ(refused.json->getValue<std::string>("option"), "$expand") << refused.body;
    }
}

TEST_P(ObservationQuery, FiltersThingsAndDatastreams) {
    EXPECT_EQ(matching("properties/street eq 'street_02'", "Things"), (Ids{"2"}));
    EXPECT_EQ(matching("name eq 'hypo_city/city_01/street_01'", "Things"), (Ids{"1"}));
    EXPECT_EQ(matching("@iot.id gt 1 or properties/system ne 'hypo_city'", "Things"), (Ids{"2"}));
    EXPECT_EQ(matching("properties/street eq '''; DROP TABLE stations; --'", "Things"), Ids{});
    EXPECT_EQ(matching("ObservedProperty/name eq 'so2'", "Datastreams"), (Ids{"3"}));
    EXPECT_EQ(matching("Thing/@iot.id eq 1 and unitOfMeasurement/symbol eq 'ppb'", "Datastreams"),
              (Ids{"1"}));
    EXPECT_EQ(matching("Thing/name ne 'hypo_city/city_01/street_01'", "Datastreams"), (Ids{"3"}));
    EXPECT_EQ(matching("ObservedProperty/name eq 'temperature'", "Things(1)/Datastreams"), (Ids{"2"}));
    const ApiAnswer counted =
        _service->get("/v1.1/Things?$count=true&$top=1&$filter=" + encoded("properties/city eq 'city_01'"));
    ASSERT_EQ(counted.status, 200) << counted.body;
    EXPECT_EQ(counted.json->getValue<int>("@iot.count"), 2);
    const ApiAnswer expanded = _service->get(
        "/v1.1/Things?$expand=Datastreams($filter=" + encoded("ObservedProperty/name eq 'no2'") + ")");
    ASSERT_EQ(expanded.status, 200) << expanded.body;
    EXPECT_EQ(expanded.json->getArray("value")->getObject(0)->getArray("Datastreams")->size(), 1u);
}

TEST_P(ObservationQuery, StringFunctionsOnTextColumnsAreCaseSensitiveAndTakeNoWildcards) {
    EXPECT_EQ(matching("startswith(Datastream/ObservedProperty/name,'no')"), (Ids{kFirst, kSecond}));
    EXPECT_EQ(matching("endswith(Datastream/ObservedProperty/name,'2')"), (Ids{kFirst, kSecond, kFourth}));
    EXPECT_EQ(matching("endswith(Datastream/ObservedProperty/name,'')").size(), 4u);
    EXPECT_EQ(matching("contains(Datastream/ObservedProperty/name,'emp')"), (Ids{kThird}));
    EXPECT_EQ(matching("substringof('o2',Datastream/ObservedProperty/name)"),
              (Ids{kFirst, kSecond, kFourth}));
    EXPECT_EQ(matching("startswith(Datastream/ObservedProperty/name,'NO')"), Ids{});
    EXPECT_EQ(matching("toupper(Datastream/ObservedProperty/name) eq 'NO2'"), (Ids{kFirst, kSecond}));
    EXPECT_EQ(matching("'so2' eq tolower(Datastream/ObservedProperty/name)"), (Ids{kFourth}));
    EXPECT_EQ(matching("length(Datastream/ObservedProperty/name) gt 3"), (Ids{kThird}));
    EXPECT_EQ(
        matching("startswith(properties/street,'street_0') and endswith(properties/street,'2')", "Things"),
        (Ids{"2"}));
    EXPECT_EQ(matching("contains(properties/street,'t_0')", "Things"), (Ids{"1", "2"}));
    EXPECT_EQ(matching("startswith(properties/street,'%')", "Things"), Ids{});
    EXPECT_EQ(matching("contains(properties/street,'_0_')", "Things"), Ids{});
    EXPECT_EQ(matching("contains(unitOfMeasurement/symbol,'p') and not endswith(ObservedProperty/name,'o2')",
                       "Datastreams"),
              Ids{});
    EXPECT_EQ(matching("contains(unitOfMeasurement/symbol,'p')", "Datastreams"), (Ids{"1", "3"}));
}

TEST_P(ObservationQuery, LocationsIntersectABoxOrAPolygonAndPageCorrectly) {
    // Station 1 stands at (13.405 52.52); 3 at (13.30 52.50), in every box around 1 but below the
    // polygon's diagonal; 4 in Paris; 10 to 29 on a line across the polygon's diagonal.
    std::string sql =
        "INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES "
        "(3, 'hypo_city', 'city_01', 'west', 52.50, 13.30), (4, 'hypo_city', 'paris', 'rivoli', 48.8566, "
        "2.3522)";
    for (int at = 10; at < 30; ++at)
        sql += ", (" + std::to_string(at) + ", 'hypo_city', 'line', 's" + std::to_string(at) + "', 52.455, " +
               std::to_string(13.0 + (at - 10) * 0.05) + ")";
    _store->execute(sql + ";");
    const std::string polygon =
        "geo.intersects(location, geography'POLYGON((13.9 52, 14 52, 14 53, 13 53, 13 52.9, 13.9 52))')";
    const Ids inPolygon = matching(polygon, "Locations");
    // The line at latitude 52.455 enters the polygon at longitude 13.445.
    Ids expected{"1"};
    for (int at = 10; at < 30; ++at) {
        if (13.0 + (at - 10) * 0.05 >= 13.445)
            expected.push_back(std::to_string(at));
    }
    EXPECT_EQ(inPolygon, expected);
    EXPECT_EQ(matching("geo.intersects(location, geography'BBOX(13.2,52.49,13.5,52.6)')", "Locations"),
              (Ids{"1", "3"}));
    EXPECT_EQ(matching("geo.intersects(location, geography'BBOX(-10,40,5,50)')", "Locations"), (Ids{"4"}));
    const std::string filter = "/v1.1/Locations?$filter=" + encoded(polygon);
    EXPECT_EQ(walk(*_service, filter + "&$top=1"), expected);
    EXPECT_EQ(walk(*_service, filter + "&$top=3"), expected);
    EXPECT_EQ(_service->get(filter + "&$count=true&$top=1").json->getValue<std::size_t>("@iot.count"),
              expected.size());
    // Every Location pages correctly too, stations without a position left out.
    EXPECT_EQ(walk(*_service, "/v1.1/Locations?$top=1").size(), 23u);
    EXPECT_THAT(refusal("name eq 'x'", 5, "Locations"), HasSubstr("on Locations, $filter is geo.intersects"));
}

TEST_P(ObservationQuery, CountsExactlyOrSaysItIsAnEstimate) {
    const ApiAnswer filtered =
        _service->get("/v1.1/Observations?$count=true&$top=1&$filter=" + encoded("result gt 0"));
    ASSERT_EQ(filtered.status, 200) << filtered.body;
    EXPECT_EQ(filtered.json->getValue<int>("@iot.count"), 3);
    EXPECT_FALSE(filtered.json->has("@citysense.countIsEstimate"));
    EXPECT_EQ(filtered.json->getArray("value")->size(), 1u);
    EXPECT_THAT(filtered.json->getValue<std::string>("@iot.nextLink"), HasSubstr("$count=true"));
    EXPECT_EQ(
        _service->get("/v1.1/Datastreams(1)/Observations?$count=true").json->getValue<int>("@iot.count"), 2);
    EXPECT_EQ(_service->get("/v1.1/Things?$count=true&$top=1").json->getValue<int>("@iot.count"), 2);
    EXPECT_EQ(_service->get("/v1.1/Things(1)/Datastreams?$count=true").json->getValue<int>("@iot.count"), 2);
    EXPECT_FALSE(_service->get("/v1.1/Things?$count=false").json->has("@iot.count"));

    // All Observations: on MariaDB the table statistics' figure, marked as an estimate.
    const ApiAnswer all = _service->get("/v1.1/Observations?$count=true");
    ASSERT_EQ(all.status, 200) << all.body;
    if (_store->mariadb()) {
        EXPECT_TRUE(all.json->getValue<bool>("@citysense.countIsEstimate")) << all.body;
        EXPECT_GE(all.json->getValue<int>("@iot.count"), 0);
    } else {
        EXPECT_EQ(all.json->getValue<int>("@iot.count"), 4);
        EXPECT_FALSE(all.json->has("@citysense.countIsEstimate"));
    }
}

TEST_P(ObservationQuery, HostileFiltersAreRefusedOrAnsweredAndNeverReachSqlAsText) {
    // SQL in literals is a value like any other: it matches nothing.
    for (const char* hostile : {"Datastream/ObservedProperty/name eq 'no2'' OR ''1''=''1'",
                                "Datastream/Thing/name eq '''; DROP TABLE readings; --'",
                                "Datastream/Thing/name eq 'a/b/c'') OR 1=1 --'", "@iot.id eq '1-1 OR 1=1'",
                                "Datastream/ObservedProperty/name eq 'no2\"; DELETE FROM readings; --'"})
        EXPECT_EQ(matching(hostile), Ids{}) << hostile;
    // A 100 kB filter is refused before it is parsed: a request target holds at most 16 KiB. The
    // server answers 400 and closes the connection, which may reset it while the client still writes.
    std::string huge = "result eq 1";
    while (huge.size() < 100 * 1000)
        huge += " or result eq 1";
    try {
        EXPECT_EQ(get("Observations", huge).status, 400);
    } catch (const Poco::IOException&) {
        // a broken pipe or a reset: refused all the same; the service answers on below
    }
    // A long list of alternatives within that is answered: every value bound.
    std::string many = "result eq 21.5";
    for (int value = 0; encoded(many).size() < 15 * 1000; ++value)
        many += " or result eq " + std::to_string(1000 + value);
    EXPECT_EQ(matching(many), (Ids{kFirst}));
    // Parentheses: 60 deep are read, 2,000 deep are refused where they pass the limit.
    EXPECT_EQ(matching(std::string(60, '(') + "result lt 0" + std::string(60, ')')), (Ids{kThird}));
    EXPECT_THAT(refusal(std::string(2000, '(') + "result lt 0" + std::string(2000, ')'), 64),
                HasSubstr("nested deeper than 64"));
    EXPECT_EQ(matching("true").size(), 4u) << "the store is as it was";
}

INSTANTIATE_TEST_SUITE_P(Stores, ObservationQuery, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param == "mysql" ? "MariaDb" : "Sqlite"; });

}  // namespace
}  // namespace citysense
