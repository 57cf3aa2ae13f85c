// citysense-api's /openapi.json: an OpenAPI 3.0 document, every $ref in it resolves, and it documents
// every route the router serves (ApiRoutes' list, derived from the router's own tables), each of which
// the running service answers (over SQLite).
#include "ApiRoutes.h"
#include "ApiTestStore.h"
#include "OpenApiDocument.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

using namespace test;
using api::Route;

Poco::JSON::Object::Ptr parsed(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// Every "$ref" in `value`, at any depth.
void collectReferences(const Poco::Dynamic::Var& value, std::vector<std::string>& references) {
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        const auto object = value.extract<Poco::JSON::Object::Ptr>();
        for (const auto& [key, member] : *object) {
            if (key == "$ref")
                references.push_back(member.convert<std::string>());
            else
                collectReferences(member, references);
        }
    } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
        for (const auto& element : *value.extract<Poco::JSON::Array::Ptr>())
            collectReferences(element, references);
    }
}

TEST(OpenApiDocument, IsOpenApi30AndEveryReferenceInItResolves) {
    const auto document = parsed(api::openApiDocument());
    EXPECT_EQ(document->getValue<std::string>("openapi").rfind("3.0.", 0), 0u);
    EXPECT_EQ(document->getObject("info")->getValue<std::string>("title"), "citysense-api");
    std::vector<std::string> references;
    collectReferences(document, references);
    ASSERT_FALSE(references.empty());
    for (const auto& reference : references) {
        ASSERT_EQ(reference.rfind("#/components/", 0), 0u) << reference;
        const std::string rest = reference.substr(std::string("#/components/").size());
        const auto slash = rest.find('/');
        const auto section = document->getObject("components")->getObject(rest.substr(0, slash));
        ASSERT_TRUE(section) << reference;
        EXPECT_TRUE(section->has(rest.substr(slash + 1))) << reference;
    }
}

TEST(OpenApiDocument, DocumentsEveryRouteServedWithItsParametersAndAnswers) {
    const auto paths = parsed(api::openApiDocument())->getObject("paths");
    const auto routes = api::servedRoutes();
    for (const Route& route : routes) {
        const auto item = paths->getObject(route.path);
        ASSERT_TRUE(item) << route.path << " is served but not documented";
        const auto get = item->getObject("get");
        ASSERT_TRUE(get) << route.path;
        EXPECT_FALSE(get->getValue<std::string>("summary").empty()) << route.path;
        EXPECT_TRUE(get->getObject("responses")->has("200")) << route.path;
        if (route.path.find("{id}") != std::string::npos) {
            bool hasId = false;
            for (const auto& parameter : *get->getArray("parameters")) {
                const auto object = parameter.extract<Poco::JSON::Object::Ptr>();
                hasId = hasId || (object->optValue<std::string>("name", "") == "id" &&
                                  object->optValue<std::string>("in", "") == "path");
            }
            EXPECT_TRUE(hasId) << route.path;
        }
    }
    EXPECT_EQ(paths->size(), routes.size()) << "a path documented that is not served";
    for (const char* path :
         {"/health", "/metrics", "/latest.geojson", "/openapi.json", "/v1.1", "/v1.1/Things",
          "/v1.1/Things({id})/Datastreams", "/v1.1/Datastreams({id})/Observations",
          "/v1.1/Observations('{id}')/Datastream", "/v1.1/Datastreams({id})/Aggregates",
          "/v1.1/Things({id})/Compliance", "/v1.1/Things({id})/AirQualityIndex", "/v1.1/Things({id})/Export",
          "/v1.1/admin/gateways/{system}/{city}/{street}/config"})
        EXPECT_TRUE(paths->has(path)) << path;
}

TEST(OpenApiDocument, EveryRouteListedIsAnsweredByTheService) {
    ApiTestStore store("sqlite");
    store.execute(
        "INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES "
        "(1, 'hypo_city', 'city_01', 'street_01', 52.5, 13.4);"
        "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES (1, 1, 'no2', 'ppb', "
        "'driver.air');"
        "INSERT INTO readings (sensor_id, time, value, quality) VALUES (1, " +
        store.timeLiteral(1764000000000000) + ", 20, 0), (1, " + store.timeLiteral(1764000060000000) +
        ", 21, 0);");
    const ApiService service(store.writeConfiguration());
    const ApiAnswer document = service.get("/openapi.json");
    ASSERT_EQ(document.status, 200);
    EXPECT_EQ(document.body, api::openApiDocument());
    for (const Route& route : api::servedRoutes()) {
        std::string target = route.path;
        const auto id = target.find("{id}");
        if (id != std::string::npos)
            target.replace(id, 4,
                           route.set == api::EntityType::Observation        ? "1-1764000000000000"
                           : route.set == api::EntityType::ObservedProperty ? "8"  // no2
                                                                            : "1");
        // The admin route is off without an [admin] section, and says so.
        if (route.kind == Route::Kind::Admin) {
            const ApiAnswer off = service.get("/v1.1/admin/gateways/hypo_city/city_01/street_01/config");
            EXPECT_EQ(off.status, 404) << target;
            EXPECT_NE(off.body.find("[admin] remote_config"), std::string::npos) << off.body;
            continue;
        }
        // The entities exist: a 404 would be a route the router does not serve. A 400 for a missing
        // parameter is the route answering, and so is the live stream's 401 for a request without a key.
        const int status = service.get(target).status;
        const bool live = route.kind == Route::Kind::Service && route.service == api::ServicePath::Live;
        EXPECT_TRUE(status == 200 || status == 400 || status == 422 || (live && status == 401))
            << target << ": " << status;
    }
}

}  // namespace
}  // namespace citysense
