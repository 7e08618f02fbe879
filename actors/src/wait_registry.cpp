#include <weir/detail/wait_registry.hpp>

#include <mutex>
#include <utility>

namespace weir::detail {

struct wait_registry::entries {
  struct entry {
    std::uintptr_t key;
    wait_record record;
  };
  mutable std::mutex mutex;
  std::vector<entry> list;
};

wait_registry::~wait_registry() { delete entries_.load(std::memory_order_acquire); }

void wait_registry::record(std::uintptr_t key, wait_record record) {
  entries* made = entries_.load(std::memory_order_relaxed);  // only the owner's strand writes it
  if (made == nullptr) {
    made = new entries();
    entries_.store(made, std::memory_order_release);
  }
  std::lock_guard lock(made->mutex);
  made->list.push_back({key, std::move(record)});
}

void wait_registry::end(wait_kind kind, std::uintptr_t key) noexcept {
  entries* made = entries_.load(std::memory_order_relaxed);
  if (made == nullptr) return;
  std::lock_guard lock(made->mutex);
  std::erase_if(made->list, [&](const auto& e) { return e.key == key && e.record.kind == kind; });
}

void wait_registry::end_all() noexcept {
  if (entries* made = entries_.load(std::memory_order_relaxed)) {
    std::lock_guard lock(made->mutex);
    made->list.clear();
  }
}

std::vector<wait_record> wait_registry::snapshot() const {
  std::vector<wait_record> out;
  if (const entries* made = entries_.load(std::memory_order_acquire)) {
    std::lock_guard lock(made->mutex);
    for (const auto& e : made->list) out.push_back(e.record);
  }
  return out;
}

}  // namespace weir::detail
