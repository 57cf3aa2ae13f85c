// API keys and their file: keys are long, random and recognisable, only hashes reach the file (mode
// 0600), station patterns, the restriction of a query's tables to what a request may read, and what
// the OpenAPI document says of keys and refusals.
#include "ApiKeys.h"
#include "KeyFile.h"
#include "OpenApiDocument.h"
#include "ReadingsAccess.h"

#include <Poco/JSON/Parser.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace citysense::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(ApiKeys, AreRandomBase64UrlOf32BytesWithAPrefix) {
    std::set<std::string> made;
    for (int count = 0; count < 100; ++count) {
        const std::string key = newKey();
        ASSERT_EQ(key.size(), 4u + 43u) << key;
        EXPECT_EQ(key.rfind("csk_", 0), 0u);
        EXPECT_EQ(
            key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 4),
            std::string::npos)
            << key;
        made.insert(key);
    }
    EXPECT_EQ(made.size(), 100u);
}

TEST(ApiKeys, AreHashedWithSha256AndFoundByTheirHash) {
    EXPECT_EQ(hashKey("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const std::string key = newKey();
    std::vector<ApiKey> keys(2);
    keys[0].name = "one";
    keys[0].hash = hashKey(newKey());
    keys[1].name = "two";
    keys[1].hash = hashKey(key);
    ASSERT_NE(findKey(keys, key), nullptr);
    EXPECT_EQ(findKey(keys, key)->name, "two");
    EXPECT_EQ(findKey(keys, key + "x"), nullptr);
    EXPECT_EQ(findKey(keys, ""), nullptr);
}

TEST(ApiKeys, ScopesAreNamed) {
    EXPECT_EQ(parseScopes("live:read, admin"), kLiveRead | kAdmin);
    EXPECT_EQ(scopeNames(kHistoryRead | kLiveRead), (std::vector<std::string>{"live:read", "history:read"}));
    EXPECT_THROW(parseScopes("live:write"), std::invalid_argument);
    EXPECT_THROW(parseScopes(""), std::invalid_argument);
}

TEST(ApiKeys, StationPatternsMatchPartByPart) {
    EXPECT_TRUE(matchesStation("hypo_city/city_01/street_01", "hypo_city", "city_01", "street_01"));
    EXPECT_TRUE(matchesStation("hypo_city/city_01/*", "hypo_city", "city_01", "street_07"));
    EXPECT_TRUE(matchesStation("hypo_city/city_0?", "hypo_city", "city_02", "any"));
    EXPECT_TRUE(matchesStation("*/*/street_01", "x", "y", "street_01"));
    EXPECT_FALSE(matchesStation("hypo_city/city_01/*", "hypo_city", "city_011", "street_01"));
    EXPECT_FALSE(matchesStation("hypo_city/*", "other", "city_01", "street_01"));
    EXPECT_TRUE(matchesStation("*", "any", "x", "y"));
    for (const char* pattern : {"a", "a/b", "a/b/c", "a/*/c"})
        EXPECT_TRUE(isStationPattern(pattern)) << pattern;
    for (const char* pattern : {"", "/", "a//b", "a/b/c/d", "/a", "a/"})
        EXPECT_FALSE(isStationPattern(pattern)) << pattern;
}

TEST(KeyFile, HoldsHashesOnlyReadableByItsOwnerAndReadsBack) {
    const std::filesystem::path directory =
        std::filesystem::temp_directory_path() / ("citysense-keyfile-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    const std::string path = (directory / "keys.json").string();
    EXPECT_TRUE(readKeyFile(path).empty()) << "no file: no keys";
    const std::string secret = newKey();
    ApiKey key;
    key.name = "city-app";
    key.hash = hashKey(secret);
    key.scopes = kLiveRead;
    key.stations = {"hypo_city/city_01/*"};
    key.expires = 1900000000000000;
    key.rate = parseRateLimit("600/min");
    key.created = 1800000000000000;
    writeKeyFile(path, {key});
    struct stat status {};
    ASSERT_EQ(::stat(path.c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 0777, 0600u);
    const std::string text = readAll(path);
    EXPECT_THAT(text, Not(HasSubstr(secret)));
    EXPECT_THAT(text, Not(HasSubstr(secret.substr(4))));
    EXPECT_THAT(text, HasSubstr(key.hash));
    const std::vector<ApiKey> read = readKeyFile(path);
    ASSERT_EQ(read.size(), 1u);
    EXPECT_EQ(read[0].name, "city-app");
    EXPECT_EQ(read[0].hash, key.hash);
    EXPECT_EQ(read[0].scopes, kLiveRead);
    EXPECT_EQ(read[0].stations, key.stations);
    EXPECT_EQ(read[0].expires, key.expires);
    EXPECT_EQ(read[0].rate, key.rate);
    EXPECT_EQ(read[0].created, key.created);
    std::ofstream(path) << "{\"version\": 1, \"keys\": [{\"name\": \"x\"}]}";
    EXPECT_THROW(readKeyFile(path), std::runtime_error);
    std::filesystem::remove_all(directory);
}

TEST(ReadingsAccess, ReplacesEveryTableItLimitsKeepingValuesInPlace) {
    BoundQuery query;
    query.sql("SELECT s.id FROM sensors s JOIN readings r ON r.sensor_id = s.id WHERE s.id = ")
        .value(7)
        .sql(" AND r.time > '2025-01-01 00:00:00?' AND (SELECT COUNT(*) FROM stations WHERE id = ")
        .value(8)
        .sql(") > 0 ORDER BY s.id");
    ReadingsAccess access;
    access.readingsBefore = 1000;
    access.stations = std::vector<std::int64_t>{1, 2};
    const BoundQuery restricted = restrictedQuery(
        query, access, [](BoundQuery& bound, Micros time) { bound.value(std::int64_t{time}); });
    EXPECT_EQ(
        restricted.text(),
        "SELECT s.id FROM (SELECT * FROM sensors WHERE station_id IN (?, ?)) s JOIN (SELECT * FROM "
        "readings WHERE 1 = 1 AND time < ? AND sensor_id IN (SELECT id FROM sensors WHERE station_id IN "
        "(?, ?))) r ON r.sensor_id = s.id WHERE s.id = ? AND r.time > '2025-01-01 00:00:00?' AND (SELECT "
        "COUNT(*) FROM (SELECT * FROM stations WHERE id IN (?, ?)) stations WHERE id = ?) > 0 ORDER BY "
        "s.id");
    access.stations.reset();
    EXPECT_EQ(
        restrictedQuery(query, access,
                        [](BoundQuery& bound, Micros time) { bound.value(std::int64_t{time}); })
            .text(),
        "SELECT s.id FROM sensors s JOIN (SELECT * FROM readings WHERE 1 = 1 AND time < ?) r ON r.sensor_id "
        "= s.id WHERE s.id = ? AND r.time > '2025-01-01 00:00:00?' AND (SELECT COUNT(*) FROM stations WHERE "
        "id = ?) > 0 ORDER BY s.id");
}

TEST(OpenApiAccess, TheDocumentHasTheKeySchemesAndTheRefusalsOfEveryLimitedRoute) {
    const auto document = Poco::JSON::Parser().parse(openApiDocument()).extract<Poco::JSON::Object::Ptr>();
    const auto schemes = document->getObject("components")->getObject("securitySchemes");
    EXPECT_EQ(schemes->getObject("bearerKey")->getValue<std::string>("scheme"), "bearer");
    EXPECT_EQ(schemes->getObject("headerKey")->getValue<std::string>("name"), "X-API-Key");
    const auto paths = document->getObject("paths");
    for (const char* path : {"/v1.1/Things", "/v1.1/Datastreams({id})/Observations", "/latest.geojson"}) {
        SCOPED_TRACE(path);
        const auto get = paths->getObject(path)->getObject("get");
        ASSERT_TRUE(get->has("security"));
        const auto responses = get->getObject("responses");
        for (const char* status : {"200", "401", "403", "429"})
            EXPECT_TRUE(responses->getObject(status)->getObject("headers")->has("X-RateLimit-Remaining"))
                << status;
        EXPECT_TRUE(responses->getObject("429")->getObject("headers")->has("Retry-After"));
    }
    for (const char* path : {"/health", "/metrics"}) {
        const auto get = paths->getObject(path)->getObject("get");
        EXPECT_FALSE(get->has("security")) << path;
        EXPECT_FALSE(get->getObject("responses")->has("429")) << path;
    }
}

}  // namespace
}  // namespace citysense::api
