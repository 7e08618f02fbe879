#include <weir/detail/ask_book.hpp>

namespace weir::detail {

std::optional<pending_ask> ask_book::take(std::uint64_t id) {
  auto found = pending_.find(id);
  if (found == pending_.end()) return std::nullopt;
  pending_ask ask = std::move(found->second);
  pending_.erase(found);
  if (ask.timeout) ask.timeout->cancel();
  return ask;
}

void ask_book::clear() noexcept {
  for (auto& [id, ask] : pending_) {
    if (ask.timeout) ask.timeout->cancel();
  }
  pending_.clear();
}

}  // namespace weir::detail
