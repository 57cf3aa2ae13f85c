// What the broker and the clients refuse, and that each refusal says what failed: a wrong password,
// an unknown CA, plain MQTT to the TLS port, TLS older than 1.2 in the configuration, and a gateway
// publishing under another street's prefix (the broker drops it; no subscriber ever sees it; over MQTT 5
// the sink learns of it and says the data is refused, so that the host sets it aside).
#include "MqttTestSupport.h"
#include "PluginHarness.h"
#include "Subscriber.h"

#include <citysense/Sink.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace citysense {
namespace {

using namespace test;
using ::testing::HasSubstr;

class MqttRefusal : public ::testing::Test {
protected:
    Broker _broker;
    BrokerCredentials _gateway = _broker.addGateway("hypo_city", "city_01", "street_01");

    std::string openError(const std::map<std::string, std::string>& changes) {
        auto options = tlsOptions(_broker, _gateway);
        for (const auto& [key, value] : changes)
            options[key] = value;
        options["connect_timeout"] = "5s";
        return errorOf([&] { makeSink("mqtt", options)->open(); });
    }

    std::string file(const std::string& name, const std::string& text,
                     std::filesystem::perms permissions = std::filesystem::perms::owner_read |
                                                          std::filesystem::perms::owner_write) {
        const std::string path = _broker.directory() + "/" + name;
        std::ofstream(path) << text;
        std::filesystem::permissions(path, permissions);
        return path;
    }
};

TEST_F(MqttRefusal, AWrongPasswordIsRefusedAsNotAuthorised) {
    const std::string error = openError({{"password_file", file("wrong", "not-the-password\n")}});
    EXPECT_THAT(error, HasSubstr("cannot connect to " + _broker.tlsUri() + " as " + _gateway.username));
    EXPECT_THAT(error, HasSubstr("not authorised"));
    EXPECT_THAT(error, ::testing::Not(HasSubstr("not-the-password")));
}

TEST_F(MqttRefusal, ABrokerCertificateFromAnUnknownCaFailsVerification) {
    const std::string otherCa = _broker.directory() + "/other-ca";
    ASSERT_EQ(std::system((CITYSENSE_SOURCE_DIR "/tools/make-certs " + otherCa + " >/dev/null 2>&1").c_str()),
              0);
    const std::string error = openError({{"ca_file", otherCa + "/ca.crt"}});
    EXPECT_THAT(error, HasSubstr("TLS: certificate verify failed"));
}

TEST_F(MqttRefusal, PlainMqttToTheTlsPortIsToldToUseTls) {
    const std::string error =
        openError({{"uri", "tcp://127.0.0.1:" + std::to_string(_broker.tlsPort())}, {"ca_file", ""}});
    EXPECT_THAT(error, HasSubstr("closed the connection (a TLS port? then use ssl:// or mqtts://)"));
}

TEST_F(MqttRefusal, ANameTheCertificateDoesNotCoverFailsVerification) {
    // 127.1 reaches the broker (it is 127.0.0.1) but is not one of the names the certificate covers.
    const std::string error = openError({{"uri", "ssl://127.1:" + std::to_string(_broker.tlsPort())}});
    EXPECT_THAT(error, HasSubstr("TLS: certificate verify failed: hostname mismatch"));
}

TEST_F(MqttRefusal, APasswordFileEveryUserCanReadIsRefused) {
    const std::string open =
        file("open.password", _gateway.password + "\n",
             std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                 std::filesystem::perms::group_read | std::filesystem::perms::others_read);
    auto options = tlsOptions(_broker, _gateway);
    options["password_file"] = open;
    EXPECT_EQ(optionKeyOf([&] { makeSink("mqtt", options); }), "password_file");
    EXPECT_THAT(errorOf([&] { makeSink("mqtt", options); }), HasSubstr("is readable by every user"));
}

TEST_F(MqttRefusal, TlsOlderThanOnePointTwoIsAConfigurationError) {
    auto options = tlsOptions(_broker, _gateway);
    options["tls_min_version"] = "1.1";
    EXPECT_EQ(optionKeyOf([&] { makeSink("mqtt", options); }), "tls_min_version");
    EXPECT_THAT(errorOf([&] { makeSink("mqtt", options); }), HasSubstr("TLS 1.1 is refused"));
}

TEST_F(MqttRefusal, NoTlsFilesOverPlainTcp) {
    auto options = tlsOptions(_broker, _gateway);
    options["uri"] = "mqtt://127.0.0.1:1883";
    EXPECT_EQ(optionKeyOf([&] { makeSink("mqtt", options); }), "uri");
}

/// street_02's gateway, whose sink is handed the test station's samples (street_01), and a subscriber to
/// everything.
class MqttRefusalOfAnotherStreet : public MqttRefusal {
protected:
    BrokerCredentials _reader = _broker.addSubscriber("reader", "hypo_city/#");
    BrokerCredentials _street2 = _broker.addGateway("hypo_city", "city_01", "street_02");
    Subscriber _subscriber{_broker, _reader, "hypo_city/#"};

    std::unique_ptr<Sink> openStreet2Sink(const std::string& mqttVersion) {
        auto options = tlsOptions(_broker, _street2);
        options["status_topic"] = "hypo_city/city_01/street_02/status";
        options["mqtt_version"] = mqttVersion;
        auto sink = makeSink("mqtt", options);
        sink->open();
        return sink;
    }

    static Sample street2Sample(double value, Micros time) {
        Sample sample = testSample(Quantity::Temperature, value, time);
        sample.source = Source::intern({"hypo_city", "city_01", "street_02"}, "driver.test");
        return sample;
    }

    bool street2Arrived() {
        return _subscriber.waitFor([](const auto& messages) {
            for (const ReceivedMessage& message : messages)
                if (message.topic == "hypo_city/city_01/street_02/temperature/celcius")
                    return true;
            return false;
        });
    }
};

TEST_F(MqttRefusalOfAnotherStreet, APublishUnderAnotherStreetsPrefixNeverReachesASubscriber) {
    auto sink = openStreet2Sink("3.1.1");
    // Mosquitto 2.0 acknowledges a refused QoS 1 publish and then drops the connection, so this
    // write may fail; either way the sample must not get through.
    try {
        sink->write({testSample(Quantity::Temperature, 1.0, 1000)});
    } catch (const std::runtime_error&) {
    }
    // The drop may come after the refused write returned, failing the next write: retried, as the host
    // retries, it reconnects and goes through.
    for (int attempt = 1;; ++attempt) {
        try {
            sink->write({street2Sample(2.0, 2000)});
            break;
        } catch (const std::runtime_error& error) {
            ASSERT_LT(attempt, 3) << error.what();
        }
    }
    // The marker was published after the refused sample was handled: once it is here, the other
    // would have been too.
    ASSERT_TRUE(street2Arrived()) << _broker.log();
    for (const ReceivedMessage& message : _subscriber.messages())
        EXPECT_EQ(message.topic.rfind("hypo_city/city_01/street_01/", 0), std::string::npos) << message.topic;
}

TEST_F(MqttRefusalOfAnotherStreet, OverMqtt5ItIsRefusedAsDataAndTheRestGoesOutOnTheNextWrite) {
    auto sink = openStreet2Sink("5");
    std::string refusal;
    try {
        sink->write({testSample(Quantity::Temperature, 1.0, 1000), street2Sample(2.0, 2000)});
        ADD_FAILURE() << "the broker's refusal was not reported";
    } catch (const PermanentWriteError& error) {
        refusal = error.what();
    } catch (const std::exception& error) {
        ADD_FAILURE() << "a refusal reported as a failure the host would retry: " << error.what();
    }
    EXPECT_THAT(refusal, HasSubstr("the broker refused 1 of 2 messages, the first on "
                                   "hypo_city/city_01/street_01/temperature/celcius"));
    EXPECT_THAT(refusal, HasSubstr("authori"));
    // What the host does next: it writes the batch in halves, sets the refused sample aside, and
    // writes the rest (Mosquitto closed the connection after its refusal: the sink reconnects).
    sink->write({street2Sample(2.0, 2000)});
    EXPECT_TRUE(street2Arrived()) << _broker.log();
}

TEST_F(MqttRefusalOfAnotherStreet, OverMqtt5ARefusalFollowedByMoreOfTheBatchIsStillReportedAsARefusal) {
    // Mosquitto closes the connection right after its refusal, while the sink is still publishing or
    // awaiting what follows: the refusal, not the lost connection, is what the write reports.
    auto sink = openStreet2Sink("5");
    SampleBatch batch{testSample(Quantity::Temperature, 1.0, 1000)};
    for (int i = 1; i <= 50; ++i)
        batch.push_back(street2Sample(2.0, 2000 + i));
    try {
        sink->write(batch);
        ADD_FAILURE() << "the broker's refusal was not reported";
    } catch (const PermanentWriteError& error) {
        EXPECT_THAT(error.what(), HasSubstr("the broker refused 1 of 51 messages, the first on "
                                            "hypo_city/city_01/street_01/temperature/celcius"));
    } catch (const std::exception& error) {
        ADD_FAILURE() << "a refusal reported as a failure the host would retry: " << error.what();
    }
}

}  // namespace
}  // namespace citysense
