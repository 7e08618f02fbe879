#include <weir/mailbox/node_pool.hpp>

#include <array>
#include <cstdint>
#include <mutex>
#include <new>

namespace weir {
namespace {

constexpr std::array<std::size_t, 7> class_sizes{32, 48, 64, 96, 128, 192, 256};
constexpr std::size_t class_count = class_sizes.size();
constexpr std::size_t batch_size = 256;            // blocks moved to or from the depot at once
constexpr std::size_t high_water = 2 * batch_size; // a thread's list never grows beyond this
constexpr std::size_t depot_batches = 256;         // per class; beyond, blocks go back to the system

struct free_block {
  free_block* next;
};

constexpr std::size_t no_class = class_count;

constexpr std::size_t class_of(std::size_t size) noexcept {
  for (std::size_t c = 0; c < class_count; ++c) {
    if (size <= class_sizes[c]) return c;
  }
  return no_class;
}

void release_chain(free_block* chain) noexcept {
  while (chain != nullptr) {
    free_block* next = chain->next;
    ::operator delete(chain);
    chain = next;
  }
}

// Full batches waiting for a thread that runs out. Trivially destructible on
// purpose: threads may still return blocks while statics are torn down.
class depot {
 public:
  /// Keeps `chain` (batch_size blocks); false if full (the caller frees it).
  bool give(free_block* chain) noexcept {
    std::lock_guard lock(mutex_);
    if (count_ == depot_batches) return false;
    batches_[count_++] = chain;
    return true;
  }
  /// A chain of batch_size blocks, or nullptr.
  free_block* take() noexcept {
    std::lock_guard lock(mutex_);
    return count_ == 0 ? nullptr : batches_[--count_];
  }

 private:
  std::mutex mutex_;
  std::size_t count_ = 0;
  free_block* batches_[depot_batches];
};

depot depots[class_count];

// A thread's free lists. On thread exit they go to the depot, whole batches
// first, the remainder (fewer than a batch) back to the system.
struct thread_cache {
  std::array<free_block*, class_count> head{};
  std::array<std::size_t, class_count> count{};

  /// Detaches the first batch_size blocks of class c as one chain.
  free_block* split_batch(std::size_t c) noexcept {
    free_block* first = head[c];
    free_block* last = first;
    for (std::size_t i = 1; i < batch_size; ++i) last = last->next;
    head[c] = last->next;
    last->next = nullptr;
    count[c] -= batch_size;
    return first;
  }

  ~thread_cache() {
    for (std::size_t c = 0; c < class_count; ++c) {
      while (count[c] >= batch_size) {
        free_block* chain = split_batch(c);
        if (!depots[c].give(chain)) release_chain(chain);
      }
      release_chain(head[c]);
    }
  }
};

thread_local thread_cache cache;

}  // namespace

void* node_pool::allocate(std::size_t size) {
  const std::size_t c = class_of(size);
  if (!enabled || c == no_class) return ::operator new(size);
  thread_cache& local = cache;
  if (local.head[c] == nullptr) {
    free_block* chain = depots[c].take();
    if (chain == nullptr) return ::operator new(class_sizes[c]);
    local.head[c] = chain;
    local.count[c] = batch_size;
  }
  free_block* block = local.head[c];
  local.head[c] = block->next;
  --local.count[c];
  return block;
}

void node_pool::deallocate(void* block, std::size_t size) noexcept {
  const std::size_t c = class_of(size);
  if (!enabled || c == no_class) {
    ::operator delete(block);
    return;
  }
  thread_cache& local = cache;
  auto* freed = static_cast<free_block*>(block);
  freed->next = local.head[c];
  local.head[c] = freed;
  if (++local.count[c] > high_water) {
    free_block* chain = local.split_batch(c);
    if (!depots[c].give(chain)) release_chain(chain);
  }
}

}  // namespace weir
