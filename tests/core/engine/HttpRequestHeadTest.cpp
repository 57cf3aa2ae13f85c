// What the health endpoint reads of a request before it answers: the head's end and the request line.
#include <engine/HttpRequestHead.h>

#include <gtest/gtest.h>

namespace citysense {
namespace {

TEST(HttpRequestHead, EndsAtTheFirstEmptyLineOfEitherStyle) {
    EXPECT_EQ(requestHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 23u);
    EXPECT_EQ(requestHeadEnd("GET / HTTP/1.0\n\n"), 14u);
    EXPECT_EQ(requestHeadEnd("GET / HTTP/1.1\r\nHost: x\r\n"), std::string_view::npos);
}

TEST(HttpRequestHead, ReadsMethodAndTarget) {
    const auto request = parseRequestLine("HEAD /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->method, "HEAD");
    EXPECT_EQ(request->target, "/metrics?x=1");
}

TEST(HttpRequestHead, RefusesWhatIsNotAnHttp1RequestLine) {
    for (const char* head :
         {"GET /\r\n\r\n", "GET / HTTP/2\r\n\r\n", "GET\r\n\r\n", "\r\n\r\n", "GET / SPDY/1.1\r\n\r\n"})
        EXPECT_FALSE(parseRequestLine(head)) << head;
}

}  // namespace
}  // namespace citysense
