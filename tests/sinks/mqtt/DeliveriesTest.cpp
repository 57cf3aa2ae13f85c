// The mqtt sink's record of answers (sinks/mqtt/Deliveries.h) without a broker: the publisher's reports
// are played by calling the listener as its reader thread does. A window that is full waits until half of
// it is answered, the end of a write waits for the last answer, and a lost connection or a broker that
// stops answering ends a wait. Refusals of real messages: RefusalTest.
#include "Deliveries.h"

#include <mqtt_protocol.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace citysense::mqtt {
namespace {

using namespace std::chrono_literals;
using Wait = Deliveries::Wait;

class MqttDeliveries : public ::testing::Test {
protected:
    Deliveries _deliveries;

    /// What the publisher's reader does when the broker acknowledges the message of index `index`.
    void acknowledge(std::size_t index = 0) { listener().answered(index, MQTT_RC_SUCCESS); }
    /// ... and when the broker answers it with a failure (MQTT 5).
    void fail(int reasonCode, std::size_t index = 0) { listener().answered(index, reasonCode); }

private:
    Publisher::Listener& listener() { return _deliveries; }
};

TEST_F(MqttDeliveries, AWindowWithRoomNeverWaits) {
    _deliveries.startWrite(10);
    for (int i = 0; i < 4; ++i)
        EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
    acknowledge();
    EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
}

TEST_F(MqttDeliveries, AFullWindowWaitsUntilHalfOfItIsAnswered) {
    _deliveries.startWrite(10);
    for (int i = 0; i < 4; ++i)
        ASSERT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
    std::atomic<bool> reserved{false};
    std::thread sink([&] {
        EXPECT_EQ(_deliveries.reserve(4, 30s), Wait::Done);
        reserved = true;
    });
    // Time for the thread to wait on the full window (an answer before it did would leave it room).
    std::this_thread::sleep_for(200ms);
    EXPECT_FALSE(reserved) << "returned with 4 of 4 unanswered";
    acknowledge();
    std::this_thread::sleep_for(100ms);
    EXPECT_FALSE(reserved) << "woken with 3 of 4 unanswered";
    acknowledge();
    sink.join();
    EXPECT_TRUE(reserved);
    // 2 unanswered and the one just reserved: 3 of 4.
    EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::Done);
    EXPECT_EQ(_deliveries.reserve(4, 1ms), Wait::TimedOut);
}

TEST_F(MqttDeliveries, TheEndOfAWriteWaitsForTheLastAnswer) {
    _deliveries.startWrite(10);
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    std::thread broker([&] {
        for (int i = 0; i < 3; ++i) {
            std::this_thread::sleep_for(20ms);
            acknowledge();
        }
    });
    EXPECT_EQ(_deliveries.awaitAll(30s), Wait::Done);
    broker.join();
    EXPECT_EQ(_deliveries.refusedCount(), 0u);
    EXPECT_FALSE(_deliveries.firstFailure());
}

TEST_F(MqttDeliveries, ABrokerThatStopsAnsweringTimesOut) {
    _deliveries.startWrite(10);
    ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    acknowledge();
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(_deliveries.awaitAll(200ms), Wait::TimedOut);
    EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
}

TEST_F(MqttDeliveries, ABrokerThatKeepsAnsweringIsWaitedForLongerThanTheTimeout) {
    _deliveries.startWrite(10);
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    std::thread broker([&] {
        for (int i = 0; i < 3; ++i) {
            std::this_thread::sleep_for(400ms);
            acknowledge();
        }
    });
    // 1.2 s in all, each answer within 1 s of the one before.
    EXPECT_EQ(_deliveries.awaitAll(1s), Wait::Done);
    broker.join();
}

TEST_F(MqttDeliveries, ALostConnectionEndsAWaitAtOnce) {
    _deliveries.startWrite(10);
    ASSERT_EQ(_deliveries.reserve(1, 1ms), Wait::Done);
    std::thread reader([&] {
        std::this_thread::sleep_for(50ms);
        _deliveries.connectionLost();
    });
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(_deliveries.reserve(1, 30s), Wait::Lost);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
    reader.join();
    EXPECT_EQ(_deliveries.awaitAll(30s), Wait::Lost);
}

TEST_F(MqttDeliveries, EverythingAnsweredBeforeTheConnectionWentIsDone) {
    _deliveries.startWrite(10);
    ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    acknowledge();
    _deliveries.connectionLost();
    EXPECT_EQ(_deliveries.awaitAll(30s), Wait::Done);
}

TEST_F(MqttDeliveries, TheFirstFailureOfAWriteIsKeptWithItsIndexUntilTheNextWrite) {
    _deliveries.startWrite(10);
    for (int i = 0; i < 2; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    fail(MQTT_RC_QUOTA_EXCEEDED, 0);
    fail(MQTT_RC_SERVER_BUSY, 1);
    EXPECT_EQ(_deliveries.awaitAll(1s), Wait::Done);
    ASSERT_TRUE(_deliveries.firstFailure());
    EXPECT_EQ(_deliveries.firstFailure()->index, 0u);
    EXPECT_EQ(_deliveries.firstFailure()->reasonCode, MQTT_RC_QUOTA_EXCEEDED);
    EXPECT_EQ(_deliveries.refusedCount(), 0u);
    _deliveries.startWrite(10);
    EXPECT_FALSE(_deliveries.firstFailure());
}

TEST_F(MqttDeliveries, ARefusalOfTheMessageItselfIsCountedApartFromOtherFailures) {
    _deliveries.startWrite(3);
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    acknowledge(0);
    fail(MQTT_RC_NOT_AUTHORIZED, 1);
    fail(MQTT_RC_TOPIC_NAME_INVALID, 2);
    EXPECT_EQ(_deliveries.awaitAll(1s), Wait::Done);
    EXPECT_EQ(_deliveries.refusedCount(), 2u);
    ASSERT_TRUE(_deliveries.firstRefusal());
    EXPECT_EQ(_deliveries.firstRefusal()->index, 1u);
    EXPECT_FALSE(_deliveries.firstFailure());
    EXPECT_TRUE(_deliveries.unanswered().empty());
}

TEST_F(MqttDeliveries, WhatTheBrokerDidNotAnswerIsListedInOrder) {
    _deliveries.startWrite(5);
    for (int i = 0; i < 4; ++i)
        ASSERT_EQ(_deliveries.reserve(10, 1ms), Wait::Done);
    acknowledge(0);
    acknowledge(3);
    _deliveries.connectionLost();
    EXPECT_EQ(_deliveries.awaitAll(1s), Wait::Lost);
    // 1 and 2 were in flight still, 4 was never published.
    EXPECT_EQ(_deliveries.unanswered(), (std::vector<std::size_t>{1, 2, 4}));
}

}  // namespace
}  // namespace citysense::mqtt
