#include <weir/insight/json.hpp>  // first: the header must be self-contained
#include <weir/system.hpp>
#include <weir/testing/manual_system.hpp>

#include "insight_scene.hpp"
#include "log_capture.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

std::int64_t i64(const json::value& v) { return v.to_number<std::int64_t>(); }
std::string str(const json::value& v) { return std::string(v.as_string()); }

std::set<std::string> keys(const json::object& o) {
  std::set<std::string> out;
  for (const auto& kv : o) out.insert(std::string(kv.key()));
  return out;
}

void check_optional(const json::value& v, const std::optional<std::int64_t>& expected) {
  if (expected) {
    REQUIRE(v.is_number());
    CHECK(i64(v) == *expected);
  } else {
    CHECK(v.is_null());
  }
}

void check_edge(const json::object& j, const weir::edge_snapshot& in) {
  CAPTURE(in.edge);
  CHECK(keys(j) == std::set<std::string>{"edge", "carries", "policy", "depth", "capacity", "credits", "sent", "handled",
                                         "refused", "dropped", "coalesced", "dead_lettered", "approx_bytes"});
  CHECK(str(j.at("edge")) == in.edge);
  CHECK(str(j.at("carries")) == in.carries);
  CHECK(str(j.at("policy")) == in.policy);
  CHECK(i64(j.at("depth")) == in.depth);
  check_optional(j.at("capacity"), in.capacity);
  check_optional(j.at("credits"), in.credits);
  CHECK(j.at("sent").to_number<std::uint64_t>() == in.sent);
  CHECK(j.at("handled").to_number<std::uint64_t>() == in.handled);
  CHECK(j.at("refused").to_number<std::uint64_t>() == in.refused);
  CHECK(j.at("dropped").to_number<std::uint64_t>() == in.dropped);
  CHECK(j.at("coalesced").to_number<std::uint64_t>() == in.coalesced);
  CHECK(j.at("dead_lettered").to_number<std::uint64_t>() == in.dead_lettered);
  CHECK(j.at("approx_bytes").to_number<std::uint64_t>() == in.approx_bytes);
}

void check_actor(const json::object& j, const weir::actor_snapshot& a, weir::clock::time_point now) {
  CAPTURE(a.path);
  CHECK(keys(j) == std::set<std::string>{"id", "parent", "name", "path", "type", "state", "handling", "handling_for_ms",
                                         "edges", "queued", "approx_bytes_queued", "handled", "dead_letters",
                                         "restarts", "waits", "since_progress_ms", "longest_handler_ms"});
  CHECK(j.at("id").to_number<std::uint64_t>() == a.id);
  CHECK(j.at("parent").to_number<std::uint64_t>() == a.parent);
  CHECK(str(j.at("name")) == a.name);
  CHECK(str(j.at("path")) == a.path);
  CHECK(str(j.at("type")) == a.type);
  CHECK(str(j.at("state")) == to_string(a.state));
  CHECK(str(j.at("handling")) == a.handling);
  CHECK(i64(j.at("handling_for_ms")) == a.handling_for.count());
  CHECK(i64(j.at("queued")) == a.queued);
  CHECK(j.at("approx_bytes_queued").to_number<std::uint64_t>() == a.approx_bytes_queued);
  CHECK(j.at("handled").to_number<std::uint64_t>() == a.handled);
  CHECK(j.at("dead_letters").to_number<std::uint64_t>() == a.dead_letters);
  CHECK(i64(j.at("restarts")) == a.restarts);
  CHECK(i64(j.at("since_progress_ms")) == a.since_progress.count());
  CHECK(i64(j.at("longest_handler_ms")) == a.longest_handler.count());
  const json::array& edges = j.at("edges").as_array();
  REQUIRE(edges.size() == a.edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) check_edge(edges[i].as_object(), a.edges[i]);
  const json::array& waits = j.at("waits").as_array();
  REQUIRE(waits.size() == a.waits.size());
  for (std::size_t i = 0; i < waits.size(); ++i) {
    const json::object& w = waits[i].as_object();
    CHECK(keys(w) == std::set<std::string>{"kind", "on", "target", "for_ms"});
    CHECK(str(w.at("kind")) == to_string(a.waits[i].kind));
    CHECK(str(w.at("on")) == a.waits[i].on);
    CHECK(w.at("target").to_number<std::uint64_t>() == a.waits[i].target);
    CHECK(i64(w.at("for_ms")) == std::chrono::duration_cast<std::chrono::milliseconds>(now - a.waits[i].since).count());
  }
}

void check_cycle(const json::object& j, const weir::deadlock_report& r) {
  CHECK(keys(j) == std::set<std::string>{"members", "remedy", "text"});
  CHECK(str(j.at("remedy")) == to_string(r.remedy));
  CHECK(str(j.at("text")) == r.to_string());
  const json::array& members = j.at("members").as_array();
  REQUIRE(members.size() == r.cycle.size());
  for (std::size_t i = 0; i < members.size(); ++i) {
    const json::object& m = members[i].as_object();
    const weir::deadlock_report::member& e = r.cycle[i];
    CHECK(keys(m) == std::set<std::string>{"id", "path", "kind", "on", "message_type", "depth", "capacity"});
    CHECK(m.at("id").to_number<std::uint64_t>() == e.id);
    CHECK(str(m.at("path")) == e.path);
    CHECK(str(m.at("kind")) == to_string(e.kind));
    CHECK(str(m.at("on")) == e.on);
    CHECK(str(m.at("message_type")) == e.message_type);
    check_optional(m.at("depth"), e.depth < 0 ? std::nullopt : std::optional<std::int64_t>(e.depth));
    check_optional(m.at("capacity"), e.capacity < 0 ? std::nullopt : std::optional<std::int64_t>(e.capacity));
  }
}

void check_lint(const json::object& j, const weir::lint& l) {
  CHECK(keys(j) == std::set<std::string>{"kind", "actor", "path", "lasting_ms", "detail", "text"});
  CHECK(str(j.at("kind")) == to_string(l.kind));
  CHECK(j.at("actor").to_number<std::uint64_t>() == l.actor);
  CHECK(str(j.at("path")) == l.path);
  CHECK(i64(j.at("lasting_ms")) == l.lasting.count());
  CHECK(str(j.at("detail")) == l.detail);
  CHECK(str(j.at("text")) == l.to_string());
}

void check_closed_edge(const json::object& j, const weir::closed_edge_snapshot& c) {
  CAPTURE(c.edge);
  CHECK(keys(j) == std::set<std::string>{"edge", "carries", "policy", "edges", "depth", "sent", "handled", "refused",
                                         "dropped", "coalesced", "dead_lettered", "suspensions", "suspended_ms"});
  CHECK(str(j.at("edge")) == c.edge);
  CHECK(str(j.at("carries")) == c.carries);
  CHECK(str(j.at("policy")) == c.policy);
  CHECK(j.at("edges").to_number<std::uint64_t>() == c.edges);
  CHECK(i64(j.at("depth")) == c.totals.depth);
  CHECK(j.at("sent").to_number<std::uint64_t>() == c.totals.sent);
  CHECK(j.at("handled").to_number<std::uint64_t>() == c.totals.handled);
  CHECK(j.at("refused").to_number<std::uint64_t>() == c.totals.refused);
  CHECK(j.at("dropped").to_number<std::uint64_t>() == c.totals.dropped);
  CHECK(j.at("coalesced").to_number<std::uint64_t>() == c.totals.coalesced);
  CHECK(j.at("dead_lettered").to_number<std::uint64_t>() == c.totals.dead_lettered);
  CHECK(j.at("suspensions").to_number<std::uint64_t>() == c.totals.suspensions);
  CHECK(i64(j.at("suspended_ms")) ==
        std::chrono::duration_cast<std::chrono::milliseconds>(c.totals.suspended).count());
}

void check_snapshot(const json::value& v, const weir::system_snapshot& s, weir::clock::time_point now) {
  const json::object& o = v.as_object();
  CHECK(keys(o) == std::set<std::string>{"uptime_ms", "live_actors", "started_actors", "dead_letters", "crashes",
                                         "deadlocks", "waits", "actors", "cycles", "lints", "closed_edges"});
  CHECK(i64(o.at("uptime_ms")) == s.uptime.count());
  CHECK(i64(o.at("live_actors")) == s.live_actors);
  CHECK(o.at("started_actors").to_number<std::uint64_t>() == s.started_actors);
  CHECK(o.at("dead_letters").to_number<std::uint64_t>() == s.dead_letters);
  CHECK(o.at("crashes").to_number<std::uint64_t>() == s.crashes);
  CHECK(o.at("deadlocks").to_number<std::uint64_t>() == s.deadlocks);
  CHECK(o.at("waits").to_number<std::uint64_t>() == s.waits);
  const json::array& actors = o.at("actors").as_array();
  REQUIRE(actors.size() == s.actors.size());
  for (std::size_t i = 0; i < actors.size(); ++i) check_actor(actors[i].as_object(), s.actors[i], now);
  const json::array& cycles = o.at("cycles").as_array();
  REQUIRE(cycles.size() == s.cycles.size());
  for (std::size_t i = 0; i < cycles.size(); ++i) check_cycle(cycles[i].as_object(), s.cycles[i]);
  const json::array& lints = o.at("lints").as_array();
  REQUIRE(lints.size() == s.lints.size());
  for (std::size_t i = 0; i < lints.size(); ++i) check_lint(lints[i].as_object(), s.lints[i]);
  const json::array& closed = o.at("closed_edges").as_array();
  REQUIRE(closed.size() == s.closed_edges.size());
  for (std::size_t i = 0; i < closed.size(); ++i) check_closed_edge(closed[i].as_object(), s.closed_edges[i]);
}

const json::object& actor_at(const json::value& v, const std::string& path) {
  for (const json::value& a : v.at("actors").as_array()) {
    if (a.at("path").as_string() == path) return a.as_object();
  }
  FAIL("no actor " << path);
  throw std::logic_error("unreachable");
}

// The edge into `actor` that starts at `from` ("/producer", "ad hoc").
const json::object& edge_from(const json::object& actor, const std::string& from) {
  for (const json::value& in : actor.at("edges").as_array()) {
    if (str(in.at("edge")).rfind(from + " -> ", 0) == 0) return in.as_object();
  }
  FAIL("no inbox from " << from << " into " << str(actor.at("path")));
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("to_json writes every field of a varied snapshot as the snapshot has it, and nothing else") {
  weir::test::log_capture capture;
  weir::test::insight_scene scene(capture.logger);
  const weir::system_snapshot s = scene.t.system.snapshot();
  const weir::clock::time_point now = scene.t.system.clock().now();
  check_snapshot(weir::insight::to_json(s, now), s, now);
  // The scene has all the variety the checks above are meant to cover.
  CHECK(s.actors.size() == 9);
  CHECK(s.cycles.size() == 1);
  CHECK(s.lints.size() >= 2);
  CHECK(s.closed_edges.size() == 2);
}

TEST_CASE("to_json: a restart, a suspended sender, bounded vs ad hoc edges, an aged ask, a cycle, lints") {
  weir::test::log_capture capture;
  weir::test::insight_scene scene(capture.logger);
  const json::value v = weir::insight::snapshot_json(scene.t.system);

  std::vector<std::string> paths;
  for (const json::value& a : v.at("actors").as_array()) paths.push_back(str(a.at("path")));
  CHECK(paths == std::vector<std::string>{"/sup", "/sup/a", "/sup/b", "/producer", "/consumer", "/mute", "/asker",
                                          "/left", "/right"});

  const json::object& sup = actor_at(v, "/sup");
  const json::object& a = actor_at(v, "/sup/a");
  CHECK(i64(sup.at("parent")) == 0);
  CHECK(i64(a.at("parent")) == i64(sup.at("id")));
  CHECK(i64(a.at("restarts")) == 1);
  CHECK(i64(actor_at(v, "/sup/b").at("restarts")) == 0);
  CHECK(str(a.at("state")) == "idle");
  CHECK(i64(v.at("crashes")) == 1);

  const json::object& producer = actor_at(v, "/producer");
  CHECK(str(producer.at("state")) == "suspended");
  REQUIRE(producer.at("waits").as_array().size() == 1);
  const json::object& credit_wait = producer.at("waits").as_array()[0].as_object();
  CHECK(str(credit_wait.at("kind")) == "credit");
  CHECK(str(credit_wait.at("on")) == "/producer -> /consumer");
  CHECK(i64(credit_wait.at("target")) == i64(actor_at(v, "/consumer").at("id")));
  CHECK(i64(credit_wait.at("for_ms")) == 2000);

  const json::object& consumer = actor_at(v, "/consumer");
  CHECK(str(consumer.at("state")) == "paused");
  CHECK(i64(consumer.at("queued")) == 2);  // bounded(2): the third is held at the producer
  const json::object& bounded = edge_from(consumer, "/producer");
  CHECK(i64(bounded.at("capacity")) == 2);
  CHECK(bounded.at("credits").is_number());
  CHECK(i64(bounded.at("depth")) == 3);  // 2 in flight + 1 held
  CHECK(str(bounded.at("policy")).find("bounded") == 0);
  const json::object& adhoc = edge_from(actor_at(v, "/asker"), "ad hoc");
  CHECK(adhoc.at("capacity").is_null());
  CHECK(adhoc.at("credits").is_null());

  const json::object& asker = actor_at(v, "/asker");
  CHECK(str(asker.at("state")) == "waiting-reply");
  REQUIRE(asker.at("waits").as_array().size() == 1);
  const json::object& reply_wait = asker.at("waits").as_array()[0].as_object();
  CHECK(str(reply_wait.at("kind")) == "reply");
  CHECK(str(reply_wait.at("on")) == "/mute");
  CHECK(i64(reply_wait.at("for_ms")) == 2000);

  REQUIRE(v.at("cycles").as_array().size() == 1);
  const json::object& cycle = v.at("cycles").as_array()[0].as_object();
  CHECK(str(cycle.at("remedy")) == "report");
  std::set<std::string> members;
  for (const json::value& m : cycle.at("members").as_array()) {
    members.insert(str(m.at("path")));
    CHECK(i64(m.at("capacity")) == 1);
    CHECK(i64(m.at("depth")) == 1);
  }
  CHECK(members == std::set<std::string>{"/left", "/right"});
  CHECK(i64(v.at("deadlocks")) == 1);

  std::set<std::string> long_waits;
  for (const json::value& l : v.at("lints").as_array()) {
    if (str(l.at("kind")) == "long_wait") long_waits.insert(str(l.at("path")));
  }
  CHECK(long_waits.count("/producer") == 1);
  CHECK(long_waits.count("/asker") == 1);
  const json::array& lints = v.at("lints").as_array();
  const auto quiet = std::find_if(lints.begin(), lints.end(),
                                  [](const json::value& l) { return str(l.at("kind")) == "quiescent_waiters"; });
  REQUIRE(quiet != lints.end());
  CHECK(i64(quiet->at("actor")) == 0);  // the whole system
  CHECK(str(quiet->at("path")).empty());

  // Edges into /gone, stopped for good: their counts stay, by label.
  const json::array& closed = v.at("closed_edges").as_array();
  REQUIRE(closed.size() == 2);
  CHECK(str(closed[0].at("edge")) == "(outside) -> /gone");
  CHECK(str(closed[0].at("policy")) == "bounded(2, suspend)");
  CHECK(str(closed[1].at("edge")) == "ad hoc -> /gone");
  for (const json::value& c : closed) {
    CHECK(i64(c.at("edges")) == 1);
    CHECK(i64(c.at("sent")) == 1);
    CHECK(i64(c.at("handled")) == 1);
    CHECK(i64(c.at("depth")) == 0);
  }
}

TEST_CASE("a cycle member waiting for a reply has null depth and capacity") {
  weir::deadlock_report r;
  r.cycle.resize(2);
  r.cycle[0].id = 1;
  r.cycle[0].path = "/a";
  r.cycle[0].kind = weir::wait_kind::reply;
  r.cycle[0].on = "/b";  // depth and capacity stay -1: not a credit wait
  r.cycle[1].id = 2;
  r.cycle[1].path = "/b";
  r.cycle[1].on = "/b -> /a";
  r.cycle[1].message_type = "m";
  r.cycle[1].depth = 0;
  r.cycle[1].capacity = 4;
  const json::value v = weir::insight::to_json(r);
  const json::array& m = v.at("members").as_array();
  CHECK(m[0].at("depth").is_null());
  CHECK(m[0].at("capacity").is_null());
  CHECK(i64(m[1].at("depth")) == 0);
  CHECK(i64(m[1].at("capacity")) == 4);
}

TEST_CASE("a wait's age is measured at `now` and never negative") {
  weir::wait_record w{.kind = weir::wait_kind::reply, .on = "/b", .target = 2, .since = weir::clock::time_point(5s)};
  CHECK(i64(weir::insight::to_json(w, weir::clock::time_point(7500ms)).at("for_ms")) == 2500);
  CHECK(i64(weir::insight::to_json(w, weir::clock::time_point(4s)).at("for_ms")) == 0);
}

TEST_CASE("an empty system is an object with empty lists") {
  weir::test::log_capture capture;
  weir::testing::manual_system t(capture.config());
  const json::value v = weir::insight::snapshot_json(t.system);
  CHECK(v.at("actors").as_array().empty());
  CHECK(v.at("cycles").as_array().empty());
  CHECK(v.at("lints").as_array().empty());
  CHECK(i64(v.at("live_actors")) == 0);
}
