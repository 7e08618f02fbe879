#include <weir/insight/http_server.hpp>  // first: the header must be self-contained
#include <weir/insight/json.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "http_fetch.hpp"
#include "insight_scene.hpp"
#include "log_capture.hpp"

#include <boost/json/parse.hpp>

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

namespace http = boost::beast::http;
namespace json = boost::json;
using weir::insight::http_server;
using weir::insight::http_server_config;

namespace {

// Over the quiescent scene nothing moves, the manual clock included, so
// whatever the server reads is what the test reads.
struct fixture {
  weir::test::log_capture capture;
  weir::test::insight_scene scene{capture.logger};
  http_server server{scene.t.system, http_server_config{.sample_period = {}, .history_samples = 2}};
};

}  // namespace

TEST_CASE("GET /snapshot.json is snapshot_json of the system, as application/json") {
  fixture f;
  CHECK(f.server.port() != 0);
  const weir::test::http_reply r = weir::test::http_get(f.server.port(), "/snapshot.json");
  CHECK(r.status == 200);
  CHECK(r.content_type == "application/json");
  CHECK(json::parse(r.body) == weir::insight::snapshot_json(f.scene.t.system));
  CHECK(f.capture.contains("info insight: serving http://127.0.0.1:" + std::to_string(f.server.port()) + "/"));
}

TEST_CASE("GET / is the page; other paths 404, other methods 405, foreign hosts 403") {
  fixture f;
  weir::test::http_client client(f.server.port());  // one keep-alive connection for every request
  const weir::test::http_reply page = client.get("/");
  CHECK(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK(page.body.find("<title>weir insight</title>") != std::string::npos);
  CHECK(page.keep_alive);
  CHECK(client.get("/?refresh=1").status == 200);  // a query does not change the resource

  CHECK(client.get("/nope").status == 404);
  CHECK(client.get("/snapshot.json/").status == 404);
  const weir::test::http_reply post = client.request(http::verb::post, "/snapshot.json");
  CHECK(post.status == 405);
  CHECK(post.allow == "GET");
  CHECK(client.request(http::verb::get, "/snapshot.json", "attacker.example:80").status == 403);
  CHECK(client.request(http::verb::get, "/", "localhost:" + std::to_string(f.server.port())).status == 200);
  CHECK(client.get("/history.json").status == 200);  // the connection survived every refusal
}

TEST_CASE("GET /history.json holds the samples sample_now() took, the last history_samples of them") {
  fixture f;
  const auto empty = json::parse(weir::test::http_get(f.server.port(), "/history.json").body);
  CHECK(empty.at("uptime_ms").as_array().empty());
  CHECK(empty.at("actors").as_array().empty());
  CHECK(empty.at("capacity").to_number<int>() == 2);

  for (int i = 0; i < 3; ++i) f.server.sample_now();
  const weir::test::http_reply r = weir::test::http_get(f.server.port(), "/history.json");
  CHECK(r.content_type == "application/json");
  const json::value h = json::parse(r.body);
  const weir::system_snapshot s = f.scene.t.system.snapshot();
  CHECK(h.at("uptime_ms").as_array() == json::array{s.uptime.count(), s.uptime.count()});
  const json::array& actors = h.at("actors").as_array();
  REQUIRE(actors.size() == s.actors.size());
  for (const json::value& a : actors) {
    const weir::actor_snapshot* now = s.find(std::string(a.at("path").as_string()));
    REQUIRE(now != nullptr);
    CHECK(a.at("id").to_number<std::uint64_t>() == now->id);
    CHECK(a.at("queued").as_array() == json::array{now->queued, now->queued});
  }
}

TEST_CASE("the destructor returns with clients connected, idle or halfway through a request") {
  weir::test::log_capture capture;
  weir::test::insight_scene scene(capture.logger);
  std::optional<http_server> server(std::in_place, scene.t.system, http_server_config{.sample_period = {}});
  weir::test::http_client idle(server->port());
  CHECK(idle.get("/snapshot.json").status == 200);  // now waiting for a next request
  weir::test::http_client halfway(server->port());
  boost::asio::write(halfway.stream().socket(), boost::asio::buffer(std::string("GET / HTTP/1.1\r\nHost: ")));
  server.reset();
  // The server is gone: its side of both connections was closed.
  CHECK_THROWS(idle.get("/"));
}

TEST_CASE("a port already bound is an error at construction; invalid config fields are named") {
  weir::test::log_capture capture;
  weir::test::insight_scene scene(capture.logger);
  http_server first(scene.t.system, {.sample_period = {}});
  CHECK_THROWS_AS(http_server(scene.t.system, {.port = first.port(), .sample_period = {}}), boost::system::system_error);
  CHECK_THROWS_WITH_AS(http_server(scene.t.system, {.history_samples = 0}),
                       "http_server_config::history_samples must be >= 1", std::invalid_argument);
  CHECK_THROWS_WITH_AS(http_server(scene.t.system, {.sample_period = std::chrono::milliseconds(-1)}),
                       "http_server_config::sample_period must be >= 0", std::invalid_argument);
}
