#include <weir/detail/foreign_penalty.hpp>

#include <algorithm>

namespace weir::detail {
namespace {

struct account {
  // Weak, so the account neither keeps a dead system's clock alive nor
  // mistakes a new clock at the same address for the old one.
  std::weak_ptr<clock> on;
  clock::duration owed{};

  [[nodiscard]] bool belongs_to(const std::shared_ptr<clock>& c) const noexcept {
    return !on.owner_before(c) && !c.owner_before(on) && !on.expired();
  }
};

thread_local account this_thread_account;

}  // namespace

void charge_foreign_thread(const std::shared_ptr<clock>& on, clock::duration penalty) {
  account& mine = this_thread_account;
  if (!mine.belongs_to(on)) mine = account{on, clock::duration::zero()};
  mine.owed += penalty;
  if (mine.owed < foreign_sleep_chunk) return;
  const clock::time_point before = on->now();
  on->sleep_for(mine.owed);
  mine.owed = std::max(mine.owed - (on->now() - before), -foreign_sleep_chunk);
}

clock::duration foreign_thread_owes(const std::shared_ptr<clock>& on) noexcept {
  const account& mine = this_thread_account;
  return mine.belongs_to(on) ? mine.owed : clock::duration::zero();
}

}  // namespace weir::detail
