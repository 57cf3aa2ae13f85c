// citysense-api's CSV exports over SQLite and a real MariaDB: a Datastream's readings (12,345, more
// than a chunk of the store reads and more than the 10,000 rows a page may hold) and a station's
// month, whole, in order, with their headers; the refusals; and clients that go away mid-stream.
#include "ApiTestStore.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <sstream>

namespace citysense {
namespace {

using namespace test;

constexpr Micros kMinute = 60 * 1000000LL;
constexpr Micros kJanuary31 = 1738281600LL * 1000000;  // 2025-01-31T00:00:00Z
constexpr Micros kFebruary1 = kJanuary31 + 24 * 60 * kMinute;
constexpr int kNo2Readings = 12345;        // every minute from 31 January, into 9 February
constexpr int kTemperatureReadings = 100;  // every 30 minutes from 30 January 23:00

struct CsvAnswer {
    int status = 0;
    std::string contentType;
    std::string disposition;
    bool chunked = false;
    std::string body;
};

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        result.push_back(line);
    return result;
}

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> result;
    std::istringstream in(line);
    for (std::string field; std::getline(in, field, ',');)
        result.push_back(field);
    return result;
}

class CsvExportTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _store = std::make_unique<ApiTestStore>(GetParam());
        _store->execute(
            "INSERT INTO stations (id, system, city, street, latitude, longitude) VALUES "
            "(1, 'hypo_city', 'city_01', 'street_01', 52.5, 13.4), (2, 'hypo_city', 'city_01', 'other', "
            "NULL, NULL);"
            "INSERT INTO sensors (id, station_id, quantity, unit, driver) VALUES "
            "(1, 1, 'no2', 'ppb', 'driver.air'), (2, 1, 'temperature', 'Cel', 'driver.climate'), "
            "(3, 2, 'no2', 'ppb', 'driver.air');");
        std::string sql;
        const auto add = [&](int sensor, Micros time, double value, int quality) {
            sql += (sql.empty() ? "INSERT INTO readings (sensor_id, time, value, quality) VALUES (" : ", (") +
                   std::to_string(sensor) + ", " + _store->timeLiteral(time) + ", " + std::to_string(value) +
                   ", " + std::to_string(quality) + ")";
            if (sql.size() > 100000) {  // one argument of the mariadb client at most 128 kB
                _store->execute(sql + ";");
                sql.clear();
            }
        };
        for (int at = 0; at < kNo2Readings; ++at)
            add(1, kJanuary31 + at * kMinute, at % 50 + 0.5, at == 7 ? 3 : 0);
        for (int at = 0; at < kTemperatureReadings; ++at)
            add(2, kJanuary31 - 60 * kMinute + at * 30 * kMinute, 4.25, 0);
        add(3, kJanuary31, 99, 0);
        _store->execute(sql + ";");
        _service = std::make_unique<ApiService>(_store->writeConfiguration());
    }

    CsvAnswer get(const std::string& target,
                  const std::string& method = Poco::Net::HTTPRequest::HTTP_GET) const {
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(_service->port()));
        Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        CsvAnswer answer;
        answer.status = response.getStatus();
        answer.contentType = response.getContentType();
        answer.disposition = response.get("Content-Disposition", "");
        answer.chunked = response.getChunkedTransferEncoding();
        Poco::StreamCopier::copyToString(in, answer.body);
        return answer;
    }

    std::unique_ptr<ApiTestStore> _store;
    std::unique_ptr<ApiService> _service;
};

TEST_P(CsvExportTest, ADatastreamExportsEveryReadingInTimeOrderUnderAHeaderNamingTheUnit) {
    const CsvAnswer answer = get("/v1.1/Datastreams(1)/Observations?$resultFormat=csv");
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.contentType, "text/csv; charset=utf-8; header=present");
    EXPECT_EQ(answer.disposition, "attachment; filename=\"datastream-1-observations.csv\"");
    EXPECT_TRUE(answer.chunked);
    const auto rows = lines(answer.body);
    ASSERT_EQ(rows.size(), 1u + kNo2Readings);
    EXPECT_EQ(rows[0], "phenomenonTime,result (ppb),resultQuality");
    EXPECT_EQ(rows[1], "2025-01-31T00:00:00.000000Z,0.5,ok");
    EXPECT_EQ(rows[8], "2025-01-31T00:07:00.000000Z,7.5,out_of_range|sensor_fault");
    for (std::size_t at = 2; at < rows.size(); ++at)
        ASSERT_LT(fields(rows[at - 1])[0], fields(rows[at])[0]) << "row " << at;
    EXPECT_EQ(fields(rows.back())[0], formatIsoTime(kJanuary31 + (kNo2Readings - 1) * kMinute));
}

TEST_P(CsvExportTest, ADatastreamExportTakesATimeRange) {
    const CsvAnswer answer =
        get("/v1.1/Datastreams(1)/"
            "Observations?$resultFormat=csv&from=2025-02-01T00:00:00Z&to=2025-02-02T00:00:00Z");
    ASSERT_EQ(answer.status, 200) << answer.body;
    const auto rows = lines(answer.body);
    ASSERT_EQ(rows.size(), 1u + 24 * 60);
    EXPECT_EQ(fields(rows[1])[0], "2025-02-01T00:00:00.000000Z");
    EXPECT_EQ(fields(rows.back())[0], "2025-02-01T23:59:00.000000Z");
}

TEST_P(CsvExportTest, AStationMonthHasEveryDatastreamOfTheStationInTimeOrderUpToTheMonthBoundary) {
    const CsvAnswer january = get("/v1.1/Things(1)/Export?month=2025-01");
    ASSERT_EQ(january.status, 200) << january.body;
    EXPECT_EQ(january.disposition, "attachment; filename=\"thing-1-2025-01.csv\"");
    const auto rows = lines(january.body);
    // NO2 all of 31 January; temperature from 30 January 23:00 every 30 minutes, 50 of them.
    ASSERT_EQ(rows.size(), 1u + 24 * 60 + 50);
    EXPECT_EQ(rows[0], "time,datastream,quantity,unit,value,quality");
    EXPECT_EQ(rows[1], "2025-01-30T23:00:00.000000Z,2,temperature,Cel,4.25,ok");
    EXPECT_EQ(rows[3], "2025-01-31T00:00:00.000000Z,1,no2,ppb,0.5,ok");
    EXPECT_EQ(rows[4], "2025-01-31T00:00:00.000000Z,2,temperature,Cel,4.25,ok");
    for (std::size_t at = 2; at < rows.size(); ++at) {
        const auto before = fields(rows[at - 1]);
        const auto after = fields(rows[at]);
        ASSERT_TRUE(before[0] < after[0] || (before[0] == after[0] && before[1] < after[1])) << "row " << at;
    }
    EXPECT_EQ(fields(rows.back())[0], "2025-01-31T23:59:00.000000Z");

    const CsvAnswer february = get("/v1.1/Things(1)/Export?month=2025-02");
    ASSERT_EQ(february.status, 200) << february.body;
    const auto rest = lines(february.body);
    EXPECT_EQ(rest.size() - 1 + rows.size() - 1,
              static_cast<std::size_t>(kNo2Readings + kTemperatureReadings));
    EXPECT_EQ(fields(rest[1])[0], "2025-02-01T00:00:00.000000Z");

    const CsvAnswer empty = get("/v1.1/Things(2)/Export?month=2024-12");
    ASSERT_EQ(empty.status, 200) << empty.body;
    EXPECT_EQ(empty.body, "time,datastream,quantity,unit,value,quality\n");
}

TEST_P(CsvExportTest, ParametersItCannotUseAre400sNamingThemAndMissingEntities404s) {
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"/v1.1/Things(1)/Export", "month"},
        {"/v1.1/Things(1)/Export?month=2025-13", "month"},
        {"/v1.1/Things(1)/Export?month=25-01", "month"},
        {"/v1.1/Things(1)/Export?month=2025-1x", "month"},
        {"/v1.1/Things(1)/Export?month=2025-01&month=2025-02", "month"},
        {"/v1.1/Things(1)/Export?month=2025-01&datastream=1", "datastream"},
        {"/v1.1/Datastreams(1)/Observations?$resultFormat=csv&from=yesterday", "from"},
        {"/v1.1/Datastreams(1)/"
         "Observations?$resultFormat=csv&from=2025-02-02T00:00:00Z&to=2025-02-01T00:00:00Z",
         "from"},
        {"/v1.1/Datastreams(1)/Observations?$resultFormat=csv&$top=5", "$top"},
        {"/v1.1/Datastreams(1)/Observations?$resultFormat=csv&$orderby=result", "$orderby"},
        {"/v1.1/Datastreams(1)/Observations?$resultFormat=csv&$top=x", "$top"},
        {"/v1.1/Datastreams(1)/Observations?$resultFormat=csv&limit=5", "limit"},
    };
    for (const auto& [target, parameter] : refused) {
        const ApiAnswer answer = _service->get(target);
        EXPECT_EQ(answer.status, 400) << target << ": " << answer.body;
        ASSERT_TRUE(answer.json) << target << ": " << answer.body;
        EXPECT_EQ(answer.json->optValue<std::string>("parameter", ""), parameter) << target;
    }
    EXPECT_EQ(_service->get("/v1.1/Things(9)/Export?month=2025-01").status, 404);
    EXPECT_EQ(_service->get("/v1.1/Datastreams(9)/Observations?$resultFormat=csv").status, 404);
    EXPECT_EQ(_service->get("/v1.1/Datastreams(1)/Export").status, 404);
}

TEST_P(CsvExportTest, HeadSendsTheHeadersOnly) {
    const CsvAnswer answer = get("/v1.1/Things(1)/Export?month=2025-01", Poco::Net::HTTPRequest::HTTP_HEAD);
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.contentType, "text/csv; charset=utf-8; header=present");
    EXPECT_EQ(answer.disposition, "attachment; filename=\"thing-1-2025-01.csv\"");
    EXPECT_EQ(answer.body, "");
}

TEST_P(CsvExportTest, ClientsThatGoAwayMidStreamLeaveTheServiceHealthy) {
    for (int client = 0; client < 8; ++client) {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", _service->port()));
        const std::string request =
            client % 2 == 0 ? "GET /v1.1/Datastreams(1)/Observations?$resultFormat=csv HTTP/1.1\r\n"
                            : "GET /v1.1/Things(1)/Export?month=2025-02 HTTP/1.1\r\n";
        const std::string whole = request + "Host: 127.0.0.1\r\n\r\n";
        socket.sendBytes(whole.data(), static_cast<int>(whole.size()));
        char buffer[4096];
        ASSERT_GT(socket.receiveBytes(buffer, sizeof buffer), 0);
        socket.setLinger(true, 0);  // a reset, not an orderly close: the next write fails at once
        socket.close();
    }
    EXPECT_EQ(_service->get("/health").status, 200);
    const CsvAnswer answer = get("/v1.1/Datastreams(1)/Observations?$resultFormat=csv");
    ASSERT_EQ(answer.status, 200);
    EXPECT_EQ(lines(answer.body).size(), 1u + kNo2Readings);
}

INSTANTIATE_TEST_SUITE_P(Stores, CsvExportTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace citysense
