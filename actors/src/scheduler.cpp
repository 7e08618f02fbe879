#include <weir/detail/scheduler.hpp>

#include <algorithm>
#include <utility>

namespace weir::detail {

struct alignas(64) scheduler::worker {
  explicit worker(std::size_t i) : index(i), rng(static_cast<std::uint32_t>(i * 2654435761U + 1)) {}
  std::size_t index;
  queue local;
  run_node* lifo = nullptr;  // owner only
  unsigned lifo_streak = 0;  // owner only
  unsigned tick = 0;         // owner only
  // Counted in searching_. The owner writes it, except that wake_one sets it
  // for a parked worker it takes off the idle list (the futex word orders it).
  bool searching = false;
  std::uint32_t rng;         // owner only: victim choice
  std::atomic<std::uint32_t> wake_word{0};
  std::thread thread;
};

namespace {

// The worker the calling thread is, and whose scheduler it belongs to.
thread_local const void* current_scheduler = nullptr;
thread_local void* current_worker = nullptr;

std::uint32_t next_random(std::uint32_t& state) noexcept {  // xorshift32
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

}  // namespace

// ---------------------------------------------------------------------------
// The queues.

void scheduler::queue::push_front(run_node& node) noexcept {
  std::lock_guard lock(mutex);
  node.run_prev = nullptr;
  node.run_next = head;
  if (head != nullptr) head->run_prev = &node;
  else tail = &node;
  head = &node;
  size.fetch_add(1, std::memory_order_seq_cst);
}

void scheduler::queue::push_back(run_node& node) noexcept {
  std::lock_guard lock(mutex);
  node.run_next = nullptr;
  node.run_prev = tail;
  if (tail != nullptr) tail->run_next = &node;
  else head = &node;
  tail = &node;
  size.fetch_add(1, std::memory_order_seq_cst);
}

run_node* scheduler::queue::pop_front() noexcept {
  if (size.load(std::memory_order_relaxed) == 0) return nullptr;  // no lock for an empty queue
  std::lock_guard lock(mutex);
  run_node* node = head;
  if (node == nullptr) return nullptr;
  head = node->run_next;
  if (head != nullptr) head->run_prev = nullptr;
  else tail = nullptr;
  node->run_next = nullptr;
  size.fetch_sub(1, std::memory_order_relaxed);
  return node;
}

run_node* scheduler::queue::steal_half_into(queue& into) noexcept {
  if (size.load(std::memory_order_relaxed) == 0) return nullptr;
  run_node* first = nullptr;
  run_node* last = nullptr;
  std::size_t taken = 0;
  {
    std::lock_guard lock(mutex);
    const std::size_t n = size.load(std::memory_order_relaxed);
    if (n == 0) return nullptr;
    taken = (n + 1) / 2;
    // The oldest are at the back: walk `taken` nodes in from the tail.
    last = tail;
    first = tail;
    for (std::size_t i = 1; i < taken; ++i) first = first->run_prev;
    tail = first->run_prev;
    if (tail != nullptr) tail->run_next = nullptr;
    else head = nullptr;
    first->run_prev = nullptr;
    size.fetch_sub(taken, std::memory_order_relaxed);
  }
  // `first` .. `last`, oldest last. Run the oldest now; queue the rest.
  run_node* run_now = last;
  if (taken > 1) {
    run_node* rest_last = last->run_prev;
    rest_last->run_next = nullptr;
    last->run_prev = nullptr;
    std::lock_guard lock(into.mutex);
    first->run_prev = into.tail;
    if (into.tail != nullptr) into.tail->run_next = first;
    else into.head = first;
    into.tail = rest_last;
    into.size.fetch_add(taken - 1, std::memory_order_seq_cst);
  }
  return run_now;
}

// ---------------------------------------------------------------------------
// Life.

scheduler::scheduler(std::size_t workers, run_fn run, void* context, std::function<void()> on_thread_start)
    : run_(run), context_(context), on_thread_start_(std::move(on_thread_start)) {
  workers = std::max<std::size_t>(workers, 1);
  workers_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) workers_.push_back(std::make_unique<worker>(i));
  idle_.reserve(workers);
}

scheduler::~scheduler() { stop(); }

void scheduler::start() {
  for (auto& w : workers_) {
    w->thread = std::thread([this, self = w.get()] { run_worker(*self); });
  }
}

void scheduler::stop() {
  if (stopping_.exchange(true)) return;
  for (auto& w : workers_) {
    w->wake_word.store(1, std::memory_order_seq_cst);
    w->wake_word.notify_one();
  }
  for (auto& w : workers_) {
    if (w->thread.joinable()) w->thread.join();
  }
}

bool scheduler::on_worker() const noexcept { return current_scheduler == this; }

scheduler::stats scheduler::counters() const noexcept {
  return {steals_.load(std::memory_order_relaxed), parks_.load(std::memory_order_relaxed),
          wakeups_.load(std::memory_order_relaxed)};
}

// ---------------------------------------------------------------------------
// Making work ready.

void scheduler::schedule(run_node& node, run_order order) noexcept {
  if (current_scheduler != this || current_worker == nullptr) {  // a foreign thread, or another system's worker
    global_.push_back(node);
    wake_one();
    return;
  }
  worker& self = *static_cast<worker*>(current_worker);
  switch (order) {
    case run_order::next:
      if (self.lifo == nullptr) {
        self.lifo = &node;  // runs next here: nobody else needs waking
        return;
      }
      // The slot was taken (two turns ended holding wakes: cannot happen in
      // one turn, but a nested run may): the older one goes to the queue.
      self.local.push_front(*std::exchange(self.lifo, &node));
      break;
    case run_order::soon:
      self.local.push_front(node);
      break;
    case run_order::later:
      self.local.push_back(node);
      break;
  }
  wake_one();  // there is work in a queue another worker could steal
}

void scheduler::wake_one() noexcept {
  std::atomic_thread_fence(std::memory_order_seq_cst);  // the work is published before we look
  // A searching worker will find the work; waking another would only make
  // two threads race for it.
  if (searching_.load(std::memory_order_seq_cst) > 0) return;
  if (idle_count_.load(std::memory_order_seq_cst) == 0) return;
  worker* sleeper = nullptr;
  {
    std::lock_guard lock(idle_mutex_);
    if (idle_.empty()) return;
    sleeper = idle_.back();
    idle_.pop_back();
    idle_count_.fetch_sub(1, std::memory_order_seq_cst);
    // Counted as searching from now: it will look for the work we made.
    sleeper->searching = true;
    searching_.fetch_add(1, std::memory_order_seq_cst);
  }
  wakeups_.fetch_add(1, std::memory_order_relaxed);
  sleeper->wake_word.store(1, std::memory_order_seq_cst);
  sleeper->wake_word.notify_one();
}

// ---------------------------------------------------------------------------
// The worker loop.

void scheduler::run_worker(worker& self) {
  current_scheduler = this;
  current_worker = &self;
  if (on_thread_start_) on_thread_start_();
  for (;;) {
    run_node* node = next_local(self);
    if (node != nullptr) {
      if (self.searching) stop_searching(self);  // woken for work, found it at home
    } else {
      node = search(self);
    }
    if (node == nullptr) {
      if (!park(self)) break;
      continue;
    }
    run_(*node, context_);
  }
  current_scheduler = nullptr;
  current_worker = nullptr;
}

run_node* scheduler::next_local(worker& self) {
  if (++self.tick % global_interval == 0) {  // work from outside is never starved
    if (run_node* node = pop_global()) return node;
  }
  if (self.lifo != nullptr) {
    if (self.lifo_streak < max_lifo_streak) {
      ++self.lifo_streak;
      return std::exchange(self.lifo, nullptr);
    }
    // A chain has held this thread long enough: it queues like the rest.
    self.local.push_back(*std::exchange(self.lifo, nullptr));
  }
  self.lifo_streak = 0;
  if (run_node* node = self.local.pop_front()) return node;
  return pop_global();
}

run_node* scheduler::pop_global() noexcept { return global_.pop_front(); }

run_node* scheduler::search(worker& self) {
  if (!self.searching) {
    self.searching = true;
    searching_.fetch_add(1, std::memory_order_seq_cst);
  }
  run_node* found = nullptr;
  const std::size_t n = workers_.size();
  for (unsigned round = 0; round < search_rounds && found == nullptr; ++round) {
    found = pop_global();
    if (found == nullptr && n > 1) {
      const std::size_t start = next_random(self.rng) % n;
      for (std::size_t i = 0; i < n && found == nullptr; ++i) {
        worker& victim = *workers_[(start + i) % n];
        if (&victim == &self) continue;
        found = victim.local.steal_half_into(self.local);
        if (found != nullptr) steals_.fetch_add(1, std::memory_order_relaxed);
      }
    }
    if (found == nullptr) {
      if (stopping_.load(std::memory_order_relaxed)) break;
      std::this_thread::yield();
    }
  }
  if (found != nullptr) stop_searching(self);
  return found;
}

void scheduler::stop_searching(worker& self) noexcept {
  self.searching = false;
  // The last searcher found work: there may be more, so wake the next.
  if (searching_.fetch_sub(1, std::memory_order_seq_cst) == 1) wake_one();
}

bool scheduler::any_work_visible() const noexcept {
  if (global_.size.load(std::memory_order_seq_cst) > 0) return true;
  return std::any_of(workers_.begin(), workers_.end(),
                     [](const auto& w) { return w->local.size.load(std::memory_order_seq_cst) > 0; });
}

bool scheduler::park(worker& self) {
  // Stop searching before registering: once listed, a waker may set
  // `searching` for us (see wake_one).
  if (self.searching) {
    self.searching = false;
    searching_.fetch_sub(1, std::memory_order_seq_cst);
  }
  {
    std::lock_guard lock(idle_mutex_);
    idle_.push_back(&self);
    idle_count_.fetch_add(1, std::memory_order_seq_cst);
  }
  // Last look, after registering: a schedule() that missed us is visible now.
  if (any_work_visible() || stopping_.load(std::memory_order_seq_cst)) {
    if (!leave_idle(self)) {
      // Someone already took us off and will (or did) ring our word.
      self.wake_word.wait(0, std::memory_order_seq_cst);
      self.wake_word.store(0, std::memory_order_relaxed);
    }
    return !stopping_.load(std::memory_order_seq_cst) || any_work_visible();
  }
  parks_.fetch_add(1, std::memory_order_relaxed);
  self.wake_word.wait(0, std::memory_order_seq_cst);
  self.wake_word.store(0, std::memory_order_relaxed);
  if (stopping_.load(std::memory_order_seq_cst)) {
    (void)leave_idle(self);  // stop() rings every worker without taking it off
    return any_work_visible();
  }
  return true;
}

bool scheduler::leave_idle(worker& self) noexcept {
  std::lock_guard lock(idle_mutex_);
  const auto at = std::find(idle_.begin(), idle_.end(), &self);
  if (at == idle_.end()) return false;
  idle_.erase(at);
  idle_count_.fetch_sub(1, std::memory_order_seq_cst);
  return true;
}

}  // namespace weir::detail
