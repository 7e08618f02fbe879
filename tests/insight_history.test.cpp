#include <weir/insight/history.hpp>  // first: the header must be self-contained

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <stdexcept>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

// A snapshot at `uptime` of actors given as (id, queued); paths are "/a<id>".
weir::system_snapshot at(std::chrono::milliseconds uptime, std::vector<std::pair<weir::actor_id, std::int64_t>> actors) {
  weir::system_snapshot s;
  s.uptime = uptime;
  for (auto [id, queued] : actors) {
    weir::actor_snapshot a;
    a.id = id;
    a.path = "/a" + std::to_string(id);
    a.queued = queued;
    s.actors.push_back(a);
  }
  return s;
}

}  // namespace

TEST_CASE("history: a capacity of zero is rejected") {
  CHECK_THROWS_AS(weir::insight::history(0), std::invalid_argument);
}

TEST_CASE("history: one series per actor aligned with the samples, null where the actor was not alive") {
  weir::insight::history h(4);
  h.add(at(0ms, {{1, 0}, {2, 5}}));
  h.add(at(1000ms, {{1, 3}, {2, 6}, {3, 1}}));  // 3 spawned
  h.add(at(2000ms, {{1, 4}, {3, 2}}));          // 2 stopped
  CHECK(h.size() == 3);
  CHECK(json::serialize(h.to_json()) ==
        R"({"capacity":4,"uptime_ms":[0,1000,2000],"actors":[)"
        R"({"id":1,"path":"/a1","queued":[0,3,4]},)"
        R"({"id":2,"path":"/a2","queued":[5,6,null]},)"
        R"({"id":3,"path":"/a3","queued":[null,1,2]}]})");
}

TEST_CASE("history: the oldest sample goes when full, and an actor with it when that was its last") {
  weir::insight::history h(2);
  h.add(at(0ms, {{1, 1}, {2, 9}}));
  h.add(at(1000ms, {{1, 2}}));  // 2 stopped
  h.add(at(2000ms, {{1, 3}}));  // drops the sample at 0, and 2, seen only there
  CHECK(json::serialize(h.to_json()) ==
        R"({"capacity":2,"uptime_ms":[1000,2000],"actors":[{"id":1,"path":"/a1","queued":[2,3]}]})");
  CHECK(h.size() == 2);
  for (int i = 0; i < 100; ++i) h.add(at(std::chrono::milliseconds(3000 + i), {{7, i}}));
  CHECK(json::serialize(h.to_json()) ==
        R"({"capacity":2,"uptime_ms":[3098,3099],"actors":[{"id":7,"path":"/a7","queued":[98,99]}]})");
}

TEST_CASE("history: an actor missing from a sample in between reads null there") {
  weir::insight::history h(3);
  h.add(at(0ms, {{1, 1}}));
  h.add(at(1ms, {}));
  h.add(at(2ms, {{1, 2}}));
  CHECK(json::serialize(h.to_json()) ==
        R"({"capacity":3,"uptime_ms":[0,1,2],"actors":[{"id":1,"path":"/a1","queued":[1,null,2]}]})");
}
