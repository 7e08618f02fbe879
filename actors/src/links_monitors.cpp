#include <weir/detail/links_monitors.hpp>

#include <algorithm>
#include <utility>

namespace weir::detail {

void links_monitors::add_watcher(watcher w) { watchers_.push_back(std::move(w)); }

void links_monitors::add_link(const cell_ptr& peer) {
  if (std::find(links_.begin(), links_.end(), peer) == links_.end()) links_.push_back(peer);
}

void links_monitors::drop_link(const cell& peer) noexcept {
  std::erase_if(links_, [&](const cell_ptr& p) { return p.get() == &peer; });
}

bool links_monitors::take_link(const cell& peer) noexcept {
  auto found = std::find_if(links_.begin(), links_.end(), [&](const cell_ptr& p) { return p.get() == &peer; });
  if (found == links_.end()) return false;
  links_.erase(found);
  return true;
}

std::uint64_t links_monitors::open_monitor() {
  const std::uint64_t ref = next_monitor_++;
  monitoring_.push_back(ref);
  return ref;
}

void links_monitors::demonitor(std::uint64_t ref) noexcept { std::erase(monitoring_, ref); }

bool links_monitors::take_monitor(std::uint64_t ref) noexcept {
  auto found = std::find(monitoring_.begin(), monitoring_.end(), ref);
  if (found == monitoring_.end()) return false;
  monitoring_.erase(found);
  return true;
}

std::vector<watcher> links_monitors::take_watchers() noexcept { return std::exchange(watchers_, {}); }

std::vector<cell_ptr> links_monitors::take_links() noexcept { return std::exchange(links_, {}); }

}  // namespace weir::detail
