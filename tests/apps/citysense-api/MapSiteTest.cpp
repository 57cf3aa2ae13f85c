// citysense-api's /map/: the page's files and Leaflet with their types and caching headers, the
// configuration the page reads, the redirect of /map, and no way out of the served folders, however the
// path is spelled. pathBelow() and tileSource() alone first.
#include "ApiTestStore.h"
#include "MapSite.h"
#include "Programs.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <fstream>

namespace citysense {
namespace {

using namespace test;

TEST(PathBelow, TakesOrdinaryNamesAndRefusesEverySegmentThatCouldLeaveTheFolder) {
    EXPECT_EQ(api::pathBelow("/srv/web", "map.js"), std::filesystem::path("/srv/web/map.js"));
    EXPECT_EQ(api::pathBelow("/srv/web", "images/layers.png"),
              std::filesystem::path("/srv/web/images/layers.png"));
    for (const std::string& refused :
         std::vector<std::string>{"", "..", "../x", "a/../../x", ".", "./x", "a//b", "a/", "/etc/passwd",
                                  ".hidden", "a/.git/config", "..\\x", std::string("a\0b", 3)})
        EXPECT_FALSE(api::pathBelow("/srv/web", refused)) << refused;
}

TEST(TileSource, IsTheOriginOfTheTemplateWithItsSubdomainsAsAWildcard) {
    EXPECT_EQ(api::tileSource("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
              "https://tile.openstreetmap.org");
    EXPECT_EQ(api::tileSource("https://{s}.tiles.example.org:8443/osm/{z}/{x}/{y}.png"),
              "https://*.tiles.example.org:8443");
    EXPECT_EQ(api::tileSource(""), "");
}

TEST(MapSettings, TakeATileTemplateOrNoneAndRefuseAnythingElse) {
    const ApiTestStore store("sqlite");
    for (const std::string tiles :
         {"", "https://{s}.tile.example.org/{z}/{x}/{y}.png", "http://10.0.0.7/{z}/{x}/{y}"}) {
        const CommandResult checked =
            runProgram({CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c",
                        store.writeConfiguration("map_tiles = " + tiles + "\n"), "--check"});
        EXPECT_EQ(checked.status, 0) << tiles << ": " << checked.output;
    }
    for (const std::string tiles :
         {"ftp://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org/{z}/{x}.png",
          "https://tiles.example.org/{z}/{x}/{y}.png; script-src *"}) {
        const CommandResult checked =
            runProgram({CITYSENSE_BINARY_DIR "/bin/citysense-api", "-c",
                        store.writeConfiguration("map_tiles = " + tiles + "\n"), "--check"});
        EXPECT_EQ(checked.status, 78) << tiles;
        EXPECT_NE(checked.output.find("[api] map_tiles: '" + tiles + "' is not an http(s) URL template"),
                  std::string::npos)
            << checked.output;
    }
}

struct Reply {
    int status = 0;
    Poco::Net::HTTPResponse head;
    std::string body;
};

class MapPage : public ::testing::Test {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>("sqlite");
        // The page's files in a folder with a file beside it that no request may reach.
        const auto web = _store->directory() / "web";
        std::filesystem::copy(CITYSENSE_SOURCE_DIR "/apps/citysense-api/web", web);
        std::ofstream(_store->directory() / "secret.txt") << "not for the web\n";
        _service = std::make_unique<ApiService>(
            _store->writeConfiguration("web_dir = " + web.string() +
                                       "\n"
                                       "map_tiles = https://{s}.tiles.example.org/{z}/{x}/{y}.png\n"
                                       "map_tiles_attribution = Example tiles\n"));
    }

    /// Sends `target` as it is, unnormalised.
    Reply get(const std::string& target, const std::string& ifNoneMatch = "") const {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(_service->port()));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, target,
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        if (!ifNoneMatch.empty())
            request.set("If-None-Match", ifNoneMatch);
        session.sendRequest(request);
        Reply reply;
        std::istream& body = session.receiveResponse(reply.head);
        Poco::StreamCopier::copyToString(body, reply.body);
        reply.status = reply.head.getStatus();
        return reply;
    }

    std::unique_ptr<ApiTestStore> _store;
    std::unique_ptr<ApiService> _service;
};

TEST_F(MapPage, ServesThePageWithItsTypeCachingHeadersAndAPolicyThatAllowsOnlyThisServerAndTheTiles) {
    const Reply page = get("/map/");
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.head.getContentType(), "text/html; charset=utf-8");
    EXPECT_NE(page.body.find("<main id=\"map\""), std::string::npos);
    EXPECT_EQ(page.head.get("Cache-Control"), "no-cache");
    EXPECT_EQ(page.head.get("X-Content-Type-Options"), "nosniff");
    EXPECT_TRUE(page.head.has("Last-Modified"));
    const std::string policy = page.head.get("Content-Security-Policy");
    EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << policy;
    EXPECT_NE(policy.find("img-src 'self' data: https://*.tiles.example.org;"), std::string::npos) << policy;
    EXPECT_NE(policy.find("connect-src 'self';"), std::string::npos) << policy;

    const Reply again = get("/map/index.html", page.head.get("ETag"));
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(get("/map/index.html", "\"other\"").status, 200);

    for (const auto& [target, type] : {std::pair{"/map/map.js", "text/javascript; charset=utf-8"},
                                       {"/map/map.css", "text/css; charset=utf-8"},
                                       {"/map/leaflet/leaflet.js", "text/javascript; charset=utf-8"},
                                       {"/map/leaflet/leaflet.css", "text/css; charset=utf-8"},
                                       {"/map/leaflet/images/layers.png", "image/png"}}) {
        const Reply file = get(target);
        EXPECT_EQ(file.status, 200) << target;
        EXPECT_EQ(file.head.getContentType(), type) << target;
        EXPECT_FALSE(file.body.empty()) << target;
        EXPECT_TRUE(file.head.has("ETag")) << target;
    }
}

TEST_F(MapPage, GivesThePageItsTilesAndRedirectsTheBareMapPath) {
    const Reply config = get("/map/config.json");
    ASSERT_EQ(config.status, 200);
    EXPECT_EQ(config.head.getContentType(), "application/json");
    EXPECT_EQ(
        config.body,
        R"({"tiles":"https://{s}.tiles.example.org/{z}/{x}/{y}.png","tilesAttribution":"Example tiles"})");
    const Reply bare = get("/map");
    EXPECT_EQ(bare.status, 301);
    EXPECT_EQ(bare.head.get("Location"), "/map/");
}

TEST_F(MapPage, AnswersNoPathOutOfItsFoldersHoweverItIsSpelled) {
    for (const std::string target :
         {"/map/../secret.txt", "/map/%2e%2e/secret.txt", "/map/%2E%2E%2Fsecret.txt", "/map/..%2fsecret.txt",
          "/map/..%5csecret.txt", "/map/%252e%252e/secret.txt", "/map/.%2e/.%2e/etc/passwd",
          "/map/leaflet/../../../../etc/passwd", "/map/leaflet/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
          "/map//etc/passwd", "/map/%2fetc%2fpasswd", "/map/map.js%00.png", "/map/.gitignore",
          "/map/leaflet/leaflet.js.gz", "/map/nothing.html"}) {
        const Reply reply = get(target);
        EXPECT_TRUE(reply.status == 404 || reply.status == 400) << target << ": " << reply.status;
        EXPECT_EQ(reply.body.find("not for the web"), std::string::npos) << target;
        EXPECT_EQ(reply.body.find("root:"), std::string::npos) << target;
    }
}

TEST_F(MapPage, RefusesWhatIsNotRead) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(_service->port()));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/map/index.html",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentLength(0);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response).ignore(1 << 20);
    EXPECT_EQ(response.getStatus(), 405);
}

}  // namespace
}  // namespace citysense
