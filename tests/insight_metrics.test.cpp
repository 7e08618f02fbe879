#include <weir/insight/metrics.hpp>  // first: the header must be self-contained
#include <weir/insight/http_server.hpp>
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "http_fetch.hpp"
#include "insight_scene.hpp"
#include "log_capture.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

using weir::insight::metrics_config;
using weir::insight::metrics_text;

namespace {

// The exposition as a Prometheus server would read it: each sample by its
// name and labels as written ("weir_edge_depth{from=\"/a\",to=\"/b\"}"),
// failing the test on a line that is not a comment or `series value`, or on
// a sample whose family was not declared (HELP and TYPE) before it.
struct exposition {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;  // family -> counter | gauge

  explicit exposition(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    std::set<std::string> helped;
    while (std::getline(lines, line)) {
      std::istringstream words(line);
      if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
        std::string hash, what, family, type;
        words >> hash >> what >> family >> type;
        if (what == "HELP") helped.insert(family);
        if (what == "TYPE") types[family] = type;
        continue;
      }
      const std::size_t space = line.rfind(' ');
      REQUIRE_MESSAGE(space != std::string::npos, "not a sample: " << line);
      const std::string series = line.substr(0, space);
      const std::string family = series.substr(0, series.find('{'));
      CHECK_MESSAGE(helped.contains(family), "no HELP before " << series);
      CHECK_MESSAGE(types.contains(family), "no TYPE before " << series);
      CHECK_MESSAGE(!samples.contains(series), "twice: " << series);
      samples[series] = std::stod(line.substr(space + 1));
    }
  }

  // The value of one series; fails the test if it is absent.
  double operator[](const std::string& series) const {
    const auto it = samples.find(series);
    REQUIRE_MESSAGE(it != samples.end(), "no series " << series);
    return it->second;
  }
  // How many series the family has, and their sum.
  [[nodiscard]] std::size_t count(const std::string& family) const { return of(family).size(); }
  [[nodiscard]] double sum(const std::string& family) const {
    double total = 0;
    for (const auto& [series, value] : of(family)) total += value;
    return total;
  }
  [[nodiscard]] bool has(const std::string& series) const { return samples.contains(series); }

 private:
  [[nodiscard]] std::map<std::string, double> of(const std::string& family) const {
    std::map<std::string, double> out;
    for (const auto& [series, value] : samples) {
      if (series.substr(0, series.find('{')) == family) out.emplace(series, value);
    }
    return out;
  }
};

struct fixture {
  weir::test::log_capture capture;
  weir::test::insight_scene scene{capture.logger};
};

}  // namespace

TEST_CASE("/metrics: the insight scene's system counters, lints and cycles") {
  fixture f;
  const exposition m(metrics_text(f.scene.t.system));
  CHECK(m.types.at("weir_crashes_total") == "counter");
  CHECK(m.types.at("weir_actors_live") == "gauge");
  CHECK(m["weir_actors_live"] == 9);            // /sup, /sup/a, /sup/b, producer, consumer, mute, asker, left, right
  CHECK(m["weir_actors_started_total"] == 10);  // and /gone, stopped
  CHECK(m["weir_crashes_total"] == 1);          // /sup/a's
  CHECK(m["weir_dead_letters_total"] == 1);     // the message that crashed it
  CHECK(m["weir_cycles_detected_total"] == 1);  // /left <-> /right
  CHECK(m["weir_cycles_standing"] == 1);
  // Suspended: /producer, /left, /right; waiting a reply: /asker.
  CHECK(m["weir_lints_raised_total{kind=\"long_wait\"}"] == 4);
  CHECK(m["weir_lints_holding{kind=\"long_wait\"}"] == 4);
  CHECK(m["weir_lints_raised_total{kind=\"quiescent_waiters\"}"] == 1);
  CHECK(m["weir_lints_raised_total{kind=\"blocking_handler\"}"] == 0);  // every kind, even at 0
  CHECK(m["weir_lints_holding{kind=\"inbox_growth\"}"] == 0);
  CHECK(m["weir_waits"] == 4);
  CHECK(m["weir_uptime_seconds"] == 2);  // the scene's two quiet seconds on the manual clock
}

TEST_CASE("/metrics: per actor and per edge, each label an actor path") {
  fixture f;
  const exposition m(metrics_text(f.scene.t.system));
  CHECK(m["weir_actor_restarts_total{actor=\"/sup/a\"}"] == 1);
  CHECK(m["weir_actor_dead_letters_total{actor=\"/sup/a\"}"] == 1);
  CHECK(m["weir_actor_handled_total{actor=\"/left\"}"] == 2);  // wire, kick
  CHECK(m["weir_actor_queued{actor=\"/consumer\"}"] == 2);     // bounded(2): the third waits at the producer
  CHECK(m.count("weir_actor_handled_total") == 9);

  const std::string producer_edge = "{from=\"/producer\",to=\"/consumer\"}";
  CHECK(m["weir_edge_sent_total" + producer_edge] == 3);
  CHECK(m["weir_edge_handled_total" + producer_edge] == 0);
  CHECK(m["weir_edge_depth" + producer_edge] == 3);  // 2 in flight + 1 held at the producer
  CHECK(m["weir_edge_credits" + producer_edge] == 0);   // bounded(2): never more than 2 in flight
  CHECK(m["weir_edge_credits{from=\"/left\",to=\"/right\"}"] == 0);
  CHECK_FALSE(m.has("weir_edge_credits{from=\"ad hoc\",to=\"/left\"}"));  // not bounded: no credits
  CHECK(m["weir_edge_dead_lettered_total{from=\"ad hoc\",to=\"/sup/a\"}"] == 1);
  // Closed edges keep their counts: /gone is stopped, its edges remain.
  CHECK(m["weir_edge_handled_total{from=\"(outside)\",to=\"/gone\"}"] == 1);
  CHECK(m["weir_edge_handled_total{from=\"ad hoc\",to=\"/gone\"}"] == 1);
}

TEST_CASE("/metrics: labels are subtrees at path_depth, at most max_series of them plus (other)") {
  fixture f;
  const exposition whole(metrics_text(f.scene.t.system));

  const exposition shallow(metrics_text(f.scene.t.system, metrics_config{.path_depth = 1}));
  CHECK(shallow["weir_actor_restarts_total{actor=\"/sup\"}"] == 1);  // /sup/a's, summed into /sup
  CHECK(shallow["weir_actor_dead_letters_total{actor=\"/sup\"}"] == 1);
  CHECK_FALSE(shallow.has("weir_actor_restarts_total{actor=\"/sup/a\"}"));
  CHECK(shallow["weir_edge_dead_lettered_total{from=\"ad hoc\",to=\"/sup\"}"] == 1);
  CHECK(shallow.count("weir_actor_handled_total") == 7);

  const exposition few(metrics_text(f.scene.t.system, metrics_config{.path_depth = 2, .max_series = 2}));
  CHECK(few.count("weir_actor_handled_total") == 3);
  CHECK(few.count("weir_edge_sent_total") == 3);
  // The busiest keep their own series; the rest are summed, nothing lost.
  CHECK(few["weir_edge_sent_total{from=\"/producer\",to=\"/consumer\"}"] == 3);
  CHECK(few.has("weir_actor_handled_total{actor=\"(other)\"}"));
  CHECK(few.has("weir_edge_sent_total{from=\"(other)\",to=\"(other)\"}"));
  for (const char* family : {"weir_actor_handled_total", "weir_actor_queued", "weir_actor_restarts_total",
                             "weir_edge_sent_total", "weir_edge_handled_total", "weir_edge_depth"}) {
    CAPTURE(family);
    CHECK(few.sum(family) == whole.sum(family));
  }
}

TEST_CASE("/metrics: an invalid metrics_config is refused, naming the field") {
  fixture f;
  CHECK_THROWS_WITH_AS(metrics_text(f.scene.t.system, metrics_config{.path_depth = 0}),
                       "metrics_config::path_depth must be >= 1", std::invalid_argument);
  CHECK_THROWS_WITH_AS(
      weir::insight::http_server(f.scene.t.system, {.sample_period = {}, .metrics = {.max_series = 0}}),
      "metrics_config::max_series must be >= 1", std::invalid_argument);
}

TEST_CASE("GET /metrics is metrics_text of the system, in the Prometheus text format") {
  fixture f;
  weir::insight::http_server server(f.scene.t.system, {.sample_period = {}, .metrics = {.path_depth = 1}});
  const weir::test::http_reply r = weir::test::http_get(server.port(), "/metrics");
  CHECK(r.status == 200);
  CHECK(r.content_type == "text/plain; version=0.0.4; charset=utf-8");
  // The quiescent scene does not move, so the server reads what the test reads.
  CHECK(r.body == metrics_text(f.scene.t.system, metrics_config{.path_depth = 1}));
}
