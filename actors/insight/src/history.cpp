#include <weir/insight/history.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <stdexcept>

namespace weir::insight {

history::history(std::size_t capacity) : capacity_(capacity) {
  if (capacity == 0) throw std::invalid_argument("insight history: capacity must be >= 1");
}

void history::add(const system_snapshot& snapshot) {
  std::lock_guard lock(mutex_);
  const std::uint64_t seq = next_++;
  uptime_ms_.push_back(snapshot.uptime.count());
  for (const actor_snapshot& a : snapshot.actors) {
    series& s = actors_[a.id];
    if (s.depths.empty()) {
      s.first = seq;
      s.path = a.path;
    }
    while (s.first + s.depths.size() < seq) s.depths.emplace_back();
    s.depths.emplace_back(a.queued);
  }
  if (uptime_ms_.size() <= capacity_) return;
  uptime_ms_.pop_front();
  const std::uint64_t oldest = next_ - uptime_ms_.size();
  for (auto it = actors_.begin(); it != actors_.end();) {
    series& s = it->second;
    if (s.first < oldest) {
      s.depths.pop_front();
      ++s.first;
    }
    it = s.depths.empty() ? actors_.erase(it) : std::next(it);
  }
}

std::size_t history::size() const {
  std::lock_guard lock(mutex_);
  return uptime_ms_.size();
}

boost::json::value history::to_json() const {
  namespace json = boost::json;
  std::lock_guard lock(mutex_);
  const std::uint64_t oldest = next_ - uptime_ms_.size();
  json::array uptime(uptime_ms_.begin(), uptime_ms_.end());
  json::array actors;
  actors.reserve(actors_.size());
  for (const auto& [id, s] : actors_) {
    json::array queued(uptime_ms_.size(), json::value(nullptr));
    std::size_t at = s.first - oldest;
    for (const std::optional<std::int64_t>& depth : s.depths) {
      if (depth) queued[at] = *depth;
      ++at;
    }
    json::object a;
    a["id"] = id;
    a["path"] = json::string(s.path);
    a["queued"] = std::move(queued);
    actors.push_back(std::move(a));
  }
  json::object o;
  o["capacity"] = capacity_;
  o["uptime_ms"] = std::move(uptime);
  o["actors"] = std::move(actors);
  return o;
}

}  // namespace weir::insight
