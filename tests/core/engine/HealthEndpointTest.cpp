// The health endpoint under clients that misbehave: slow (slowloris), oversized, malformed. It keeps
// answering, cuts them off at its bounds, counts each refusal in /metrics, and every answer carries
// its proper reason phrase.
#include <engine/HealthServer.h>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace citysense {
namespace {

/// A client socket to 127.0.0.1:port; closed when it goes.
class Client {
public:
    explicit Client(unsigned port) : _fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        _connected = ::connect(_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~Client() { ::close(_fd); }

    bool connected() const { return _connected; }
    void send(const std::string& text) {
        ASSERT_EQ(::send(_fd, text.data(), text.size(), MSG_NOSIGNAL), ssize_t(text.size()));
    }

    /// Everything the server sends until it closes, waiting at most `limitMs` for each piece; the
    /// limit only keeps a broken server from hanging the test.
    std::string readAll(int limitMs = 10000) {
        std::string text;
        pollfd readable{_fd, POLLIN, 0};
        while (::poll(&readable, 1, limitMs) == 1) {
            char buffer[4096];
            const ssize_t got = ::recv(_fd, buffer, sizeof buffer, 0);
            if (got <= 0)
                return text;
            text.append(buffer, static_cast<std::size_t>(got));
        }
        return text + "<no answer in time>";
    }

private:
    int _fd;
    bool _connected = false;
};

std::string get(unsigned port, const std::string& request) {
    Client client(port);
    client.send(request);
    return client.readAll();
}

std::vector<InstanceStatus> oneFailing() {
    InstanceStatus status;
    status.name = "sink.out";
    status.plugin = "console";
    status.state = InstanceState::Failing;
    return {status};
}

TEST(HealthEndpoint, AnswersWhileAHundredSlowClientsHoldConnections) {
    HealthServer server("127.0.0.1:0", [] { return std::vector<InstanceStatus>{}; });
    std::vector<std::unique_ptr<Client>> slow;
    for (int i = 0; i < 100; ++i) {
        slow.push_back(std::make_unique<Client>(server.port()));
        ASSERT_TRUE(slow.back()->connected());
        slow.back()->send("GET /hea");  // and never the rest
    }
    const std::string answer = get(server.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;

    // At the request deadline the slow ones are cut off and counted.
    for (auto& client : slow)
        EXPECT_EQ(client->readAll(), "");
    const std::string metrics = get(server.port(), "GET /metrics HTTP/1.0\r\n\r\n");
    EXPECT_NE(metrics.find("citysense_http_refused_total{reason=\"timeout\"} 100\n"), std::string::npos)
        << metrics;
}

TEST(HealthEndpoint, ErrorAnswersCarryTheirReasonPhrase) {
    HealthServer server("127.0.0.1:0", oneFailing);
    EXPECT_EQ(get(server.port(), "GET /nothing HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
    const std::string post = get(server.port(), "POST /health HTTP/1.1\r\n\r\n");
    EXPECT_EQ(post.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u) << post;
    EXPECT_NE(post.find("\r\nAllow: GET, HEAD\r\n"), std::string::npos) << post;
    const std::string health = get(server.port(), "GET /health HTTP/1.1\r\n\r\n");
    EXPECT_EQ(health.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << health;
    EXPECT_NE(health.find("\"status\":\"failing\""), std::string::npos) << health;
}

TEST(HealthEndpoint, HeadGetsTheHeadersWithoutTheBody) {
    HealthServer server("127.0.0.1:0", [] { return std::vector<InstanceStatus>{}; });
    const std::string answer = get(server.port(), "HEAD /health HTTP/1.1\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
    EXPECT_EQ(answer.substr(answer.find("\r\n\r\n") + 4), "");
}

TEST(HealthEndpoint, OversizedAndMalformedRequestsAreRefusedAndCounted) {
    HealthServer server("127.0.0.1:0", [] { return std::vector<InstanceStatus>{}; });
    const std::string huge = get(server.port(), "GET /health HTTP/1.1\r\nX: " + std::string(9000, 'a'));
    EXPECT_EQ(huge.rfind("HTTP/1.1 431 Request Header Fields Too Large\r\n", 0), 0u) << huge.substr(0, 80);
    const std::string garbage = get(server.port(), "\x16\x03\x01 hello\r\n\r\n");
    EXPECT_EQ(garbage.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << garbage;
    const std::string metrics = get(server.port(), "GET /metrics HTTP/1.1\r\n\r\n");
    EXPECT_NE(metrics.find("citysense_http_refused_total{reason=\"too_large\"} 1\n"), std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find("citysense_http_refused_total{reason=\"malformed\"} 1\n"), std::string::npos)
        << metrics;
}

std::vector<InstanceStatus> instancesThatCounted() {
    InstanceStatus driver;
    driver.name = "driver.wind";
    driver.plugin = "windsonic";
    driver.state = InstanceState::Running;
    driver.read = 40;
    driver.droppedByReason = {{"bad_checksum", 3}, {"bad_frame", 1}};
    InstanceStatus filter;
    filter.name = "filter.mean";
    filter.plugin = "window";
    filter.state = InstanceState::Running;
    filter.droppedByReason = {{"late_sample", 2}};
    InstanceStatus sink;
    sink.name = "sink.db";
    sink.plugin = "sql";
    sink.state = InstanceState::Running;
    sink.delivered = 37;
    sink.events = {{"failover", 2}, {"conflict_retry", 1}};
    return {driver, filter, sink};
}

TEST(HealthEndpoint, DropsAndEventsAreShownPerInstanceAndReasonOrName) {
    HealthServer server("127.0.0.1:0", instancesThatCounted);
    const std::string health = get(server.port(), "GET /health HTTP/1.1\r\n\r\n");
    EXPECT_NE(health.find("{\"name\":\"driver.wind\",\"plugin\":\"windsonic\",\"state\":\"running\","
                          "\"message\":\"\",\"failures\":0,\"read\":40,\"journal_pending\":0,"
                          "\"dropped_by_reason\":{\"bad_checksum\":3,\"bad_frame\":1},\"events\":{}}"),
              std::string::npos)
        << health;
    EXPECT_NE(health.find("{\"name\":\"filter.mean\",\"plugin\":\"window\",\"state\":\"running\","
                          "\"message\":\"\",\"failures\":0,\"dropped_by_reason\":{\"late_sample\":2},"
                          "\"events\":{}}"),
              std::string::npos)
        << health;
    EXPECT_NE(
        health.find("\"spool_pending\":0,\"spool_damaged\":0,\"dead_lettered\":0,\"dropped_by_reason\":{},"
                    "\"events\":{\"conflict_retry\":1,\"failover\":2}}"),
        std::string::npos)
        << health;

    const std::string metrics = get(server.port(), "GET /metrics HTTP/1.1\r\n\r\n");
    EXPECT_NE(metrics.find("# TYPE citysense_dropped_total counter\n"
                           "citysense_dropped_total{instance=\"driver.wind\",plugin=\"windsonic\","
                           "reason=\"bad_checksum\"} 3\n"
                           "citysense_dropped_total{instance=\"driver.wind\",plugin=\"windsonic\","
                           "reason=\"bad_frame\"} 1\n"
                           "citysense_dropped_total{instance=\"filter.mean\",plugin=\"window\","
                           "reason=\"late_sample\"} 2\n"),
              std::string::npos)
        << metrics;
    EXPECT_NE(metrics.find(
                  "# TYPE citysense_events_total counter\n"
                  "citysense_events_total{instance=\"sink.db\",plugin=\"sql\",event=\"conflict_retry\"} 1\n"
                  "citysense_events_total{instance=\"sink.db\",plugin=\"sql\",event=\"failover\"} 2\n"),
              std::string::npos)
        << metrics;
    // A filter is neither a driver nor a sink in the other families.
    EXPECT_EQ(metrics.find("citysense_samples_delivered_total{instance=\"filter.mean\""), std::string::npos)
        << metrics;
}

TEST(HealthEndpoint, ASecondServerOnTheSamePortFailsNamingTheAddress) {
    HealthServer first("127.0.0.1:0", [] { return std::vector<InstanceStatus>{}; });
    const std::string address = "127.0.0.1:" + std::to_string(first.port());
    try {
        HealthServer second(address, [] { return std::vector<InstanceStatus>{}; });
        FAIL() << "two servers on one port";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("health endpoint on " + address), std::string::npos)
            << error.what();
    }
}

TEST(HealthReport, AbandonedInstancesAreListedApartFromTheirSuccessorsAndCounted) {
    InstanceStatus running;
    running.name = "sink.out";
    running.plugin = "console";
    running.state = InstanceState::Running;
    InstanceStatus stuck = running;
    stuck.plugin = "mqtt";
    stuck.state = InstanceState::Abandoned;
    stuck.message = "write() did not return within 11s";
    stuck.spoolPending = 7;
    stuck.events = {{"failover", 1}};

    EXPECT_EQ(
        healthJson({running, stuck}),
        "{\"status\":\"ok\",\"instances\":[{\"name\":\"sink.out\",\"plugin\":\"console\",\"state\":"
        "\"running\",\"message\":\"\",\"failures\":0,\"delivered\":0,\"dropped\":0,\"queued\":0,"
        "\"spooled\":0,\"spool_pending\":0,\"spool_damaged\":0,\"dead_lettered\":0,\"dropped_by_"
        "reason\":{},\"events\":{}}],\"abandoned\":[{\"name\":\"sink."
        "out\",\"plugin\":"
        "\"mqtt\",\"state\":\"abandoned\",\"message\":\"write() did not return within 11s\","
        "\"failures\":0,\"delivered\":0,\"dropped\":0,\"queued\":0,\"spooled\":0,\"spool_pending\":7,"
        "\"spool_damaged\":0,\"dead_lettered\":0,\"dropped_by_reason\":{},\"events\":{\"failover\":1}}]}");
    const std::string metrics = prometheusText({running, stuck});
    EXPECT_NE(metrics.find("\ncitysense_abandoned_instances_total 1\n"), std::string::npos) << metrics;
    EXPECT_EQ(metrics.find("plugin=\"mqtt\""), std::string::npos)
        << "an abandoned instance has no series of its own beside its successor's\n"
        << metrics;
}

}  // namespace
}  // namespace citysense
