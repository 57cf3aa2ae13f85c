// BackgroundServer with sh standing in for a server: ready when its log says so, stopped and started
// again, a taken port tried again on other ports, a server that ends reported with its output, and the
// directory gone with the server.
#include "BackgroundServer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

namespace citysense::test {
namespace {

using ::testing::HasSubstr;

/// Runs `script` with sh, the port as $1 and the server's directory as $2, its output and log in one
/// file; ready once the output says "ready".
class ShellServer : public BackgroundServer {
public:
    explicit ShellServer(const std::string& script) : BackgroundServer("shell-server") {
        startOnFreePorts(1, [this, script](const std::vector<unsigned>& ports) {
            ++launches;
            Launch launch;
            launch.command = {"sh", "-c", script, "sh", std::to_string(ports[0]), directory()};
            launch.output = directory() + "/output";
            launch.log = launch.output;
            launch.ready = [](const std::string& logged) {
                return logged.find("ready") != std::string::npos;
            };
            return launch;
        });
    }

    int launches = 0;
};

TEST(BackgroundServer, StartsUntilReadyStopsAndStartsAgain) {
    ShellServer server("echo ready on port $1; exec sleep 600");
    EXPECT_TRUE(server.running());
    EXPECT_THAT(server.log(), HasSubstr("ready on port"));
    server.stop();
    EXPECT_FALSE(server.running());
    server.start();
    EXPECT_TRUE(server.running());
    EXPECT_EQ(server.launches, 1);
}

TEST(BackgroundServer, TheDestructorStopsTheServerAndRemovesItsDirectory) {
    std::string directory;
    {
        ShellServer server("echo ready; exec sleep 600");
        directory = server.directory();
        EXPECT_TRUE(std::filesystem::is_directory(directory));
    }
    EXPECT_FALSE(std::filesystem::exists(directory));
}

TEST(BackgroundServer, ATakenPortIsTriedAgainOnOthers) {
    // Taken on the first start only: the marker file says it has been tried.
    ShellServer server(
        "if [ -e \"$2/taken\" ]; then echo ready; exec sleep 600; fi; touch \"$2/taken\"; "
        "echo 'Address already in use'");
    EXPECT_TRUE(server.running());
    EXPECT_EQ(server.launches, 2);
}

TEST(BackgroundServer, AServerThatEndsIsAnErrorWithItsOutput) {
    try {
        ShellServer server("echo cannot open the data directory; exit 1");
        FAIL() << "no error";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("ended:\ncannot open the data directory"));
    }
}

}  // namespace
}  // namespace citysense::test
