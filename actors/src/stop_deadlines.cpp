#include <weir/detail/stop_deadlines.hpp>

#include <algorithm>

namespace weir::detail {

void stop_deadlines::arm(const cell& child, std::shared_ptr<armed_timer> timer) {
  armed_.emplace_back(&child, std::move(timer));
}

std::shared_ptr<armed_timer> stop_deadlines::take(const cell& child) noexcept {
  auto found = std::find_if(armed_.begin(), armed_.end(), [&](const auto& t) { return t.first == &child; });
  if (found == armed_.end()) return nullptr;
  std::shared_ptr<armed_timer> timer = std::move(found->second);
  armed_.erase(found);
  return timer;
}

void stop_deadlines::cancel(const cell& child) noexcept {
  if (auto timer = take(child)) timer->cancel();
}

}  // namespace weir::detail
