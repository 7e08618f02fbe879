#include <weir/insight/json.hpp>

#include <weir/system.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

namespace weir::insight {
namespace {

namespace json = boost::json;

json::string text(std::string_view s) { return json::string(s); }

json::value optional_int(const std::optional<std::int64_t>& v) {
  if (v) return json::value(*v);
  return json::value(nullptr);
}

// deadlock_report::member marks "not a credit wait" with -1.
// Every list in the snapshot becomes an array the same way.
template <class Range, class Convert>
json::array array_of(const Range& items, Convert convert) {
  json::array out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(convert(item));
  return out;
}

json::value present_or_null(std::int64_t v) {
  if (v < 0) return json::value(nullptr);
  return json::value(v);
}

std::int64_t age_ms(clock::time_point since, clock::time_point now) {
  const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - since).count();
  return std::max<std::int64_t>(age, 0);  // a wait recorded after `now` was read
}

}  // namespace

json::value to_json(const edge_snapshot& edge) {
  json::object o;
  o["edge"] = text(edge.edge);
  o["carries"] = text(edge.carries);
  o["policy"] = text(edge.policy);
  o["depth"] = edge.depth;
  o["capacity"] = optional_int(edge.capacity);
  o["credits"] = optional_int(edge.credits);
  o["sent"] = edge.sent;
  o["handled"] = edge.handled;
  o["refused"] = edge.refused;
  o["dropped"] = edge.dropped;
  o["coalesced"] = edge.coalesced;
  o["dead_lettered"] = edge.dead_lettered;
  o["approx_bytes"] = edge.approx_bytes;
  return o;
}

json::value to_json(const closed_edge_snapshot& closed) {
  json::object o;
  o["edge"] = text(closed.edge);
  o["carries"] = text(closed.carries);
  o["policy"] = text(closed.policy);
  o["edges"] = closed.edges;
  o["depth"] = closed.totals.depth;
  o["sent"] = closed.totals.sent;
  o["handled"] = closed.totals.handled;
  o["refused"] = closed.totals.refused;
  o["dropped"] = closed.totals.dropped;
  o["coalesced"] = closed.totals.coalesced;
  o["dead_lettered"] = closed.totals.dead_lettered;
  o["suspensions"] = closed.totals.suspensions;
  o["suspended_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(closed.totals.suspended).count();
  return o;
}

json::value to_json(const wait_record& wait, clock::time_point now) {
  json::object o;
  o["kind"] = text(to_string(wait.kind));
  o["on"] = text(wait.on);
  o["target"] = wait.target;
  o["for_ms"] = age_ms(wait.since, now);
  return o;
}

json::value to_json(const actor_snapshot& actor, clock::time_point now) {
  json::object o;
  o["id"] = actor.id;
  o["parent"] = actor.parent;
  o["name"] = text(actor.name);
  o["path"] = text(actor.path);
  o["type"] = text(actor.type);
  o["state"] = text(to_string(actor.state));
  o["handling"] = text(actor.handling);
  o["handling_for_ms"] = actor.handling_for.count();
  o["edges"] = array_of(actor.edges, [](const edge_snapshot& in) { return to_json(in); });
  o["queued"] = actor.queued;
  o["approx_bytes_queued"] = actor.approx_bytes_queued;
  o["handled"] = actor.handled;
  o["dead_letters"] = actor.dead_letters;
  o["restarts"] = actor.restarts;
  o["waits"] = array_of(actor.waits, [now](const wait_record& w) { return to_json(w, now); });
  o["since_progress_ms"] = actor.since_progress.count();
  o["longest_handler_ms"] = actor.longest_handler.count();
  return o;
}

json::value to_json(const deadlock_report& cycle) {
  json::object o;
  o["members"] = array_of(cycle.cycle, [](const deadlock_report::member& m) {
    json::object member;
    member["id"] = m.id;
    member["path"] = text(m.path);
    member["kind"] = text(to_string(m.kind));
    member["on"] = text(m.on);
    member["message_type"] = text(m.message_type);
    member["depth"] = present_or_null(m.depth);
    member["capacity"] = present_or_null(m.capacity);
    return member;
  });
  o["remedy"] = text(to_string(cycle.remedy));
  o["text"] = text(cycle.to_string());
  return o;
}

json::value to_json(const lint& finding) {
  json::object o;
  o["kind"] = text(to_string(finding.kind));
  o["actor"] = finding.actor;
  o["path"] = text(finding.path);
  o["lasting_ms"] = finding.lasting.count();
  o["detail"] = text(finding.detail);
  o["text"] = text(finding.to_string());
  return o;
}

json::value to_json(const system_snapshot& snapshot, clock::time_point now) {
  json::object o;
  o["uptime_ms"] = snapshot.uptime.count();
  o["live_actors"] = snapshot.live_actors;
  o["started_actors"] = snapshot.started_actors;
  o["dead_letters"] = snapshot.dead_letters;
  o["crashes"] = snapshot.crashes;
  o["deadlocks"] = snapshot.deadlocks;
  o["waits"] = snapshot.waits;
  o["actors"] = array_of(snapshot.actors, [now](const actor_snapshot& a) { return to_json(a, now); });
  o["cycles"] = array_of(snapshot.cycles, [](const deadlock_report& c) { return to_json(c); });
  o["lints"] = array_of(snapshot.lints, [](const lint& l) { return to_json(l); });
  o["closed_edges"] = array_of(snapshot.closed_edges, [](const closed_edge_snapshot& c) { return to_json(c); });
  return o;
}

json::value snapshot_json(const weir::system& system) {
  const system_snapshot snapshot = system.snapshot();
  return to_json(snapshot, system.clock().now());
}

}  // namespace weir::insight
