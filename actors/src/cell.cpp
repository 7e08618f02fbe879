#include <weir/actor.hpp>
#include <weir/detail/cell.hpp>
#include <weir/detail/type_name.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace weir::detail {

// ---------------------------------------------------------------------------
// Runtime signals: the envelopes of inbox 0.

namespace {

template <class Signal>
class signal_envelope : public cell_envelope {
 public:
  signal_envelope() : cell_envelope(system_inbox) {}
  [[nodiscard]] const std::type_info& type() const noexcept override { return typeid(Signal); }
};

class stop_signal final : public signal_envelope<stop_signal> {
 public:
  explicit stop_signal(exit_reason reason) : reason_(std::move(reason)) {}
  void deliver(cell& receiver) override { receiver.begin_stop(std::move(reason_)); }

 private:
  exit_reason reason_;
};

class adopt_signal final : public signal_envelope<adopt_signal> {
 public:
  explicit adopt_signal(cell_ptr child) : child_(std::move(child)) {}
  void deliver(cell& receiver) override { receiver.adopt(child_); }
  cell& child() const noexcept { return *child_; }

 private:
  cell_ptr child_;
};

class child_stopped_signal final : public signal_envelope<child_stopped_signal> {
 public:
  explicit child_stopped_signal(cell_ptr child) : child_(std::move(child)) {}
  void deliver(cell& receiver) override { receiver.on_child_stopped(*child_); }

 private:
  cell_ptr child_;
};

class timer_signal final : public signal_envelope<timer_signal> {
 public:
  explicit timer_signal(std::shared_ptr<timer_state> timer) : timer_(std::move(timer)) {}
  void deliver(cell& receiver) override { receiver.on_timer(timer_); }

 private:
  std::shared_ptr<timer_state> timer_;
};

// The spawn in progress on this thread (see construction_scope).
thread_local cell* constructing = nullptr;

}  // namespace

// ---------------------------------------------------------------------------
// The turn in progress on this thread, and its held wake-up (see cell.hpp).

struct turn_scope {
  explicit turn_scope(cell& self) noexcept : self(self), previous(active) { active = this; }
  ~turn_scope() {
    active = previous;
    // The turn is over and this thread is about to be free: the last actor it
    // woke runs next, here, without waking another thread.
    if (held != nullptr) held->defer_turn();
  }
  turn_scope(const turn_scope&) = delete;
  turn_scope& operator=(const turn_scope&) = delete;

  /// The turn goes on doing other work: let another thread take the held wake.
  void release_held() {
    if (held != nullptr) {
      held->post_turn();
      held = nullptr;
    }
  }

  cell& self;
  turn_scope* previous;
  cell* held = nullptr;
  static thread_local turn_scope* active;
};

thread_local turn_scope* turn_scope::active = nullptr;

cell* cell::current() noexcept {
  return turn_scope::active != nullptr ? &turn_scope::active->self : nullptr;
}

// ---------------------------------------------------------------------------
// Construction and reference counting.

cell::cell(std::shared_ptr<runtime> rt, cell_ptr parent, std::string name, std::size_t user_inboxes)
    : id_(rt->next_id.fetch_add(1, std::memory_order_relaxed)),
      rt_(std::move(rt)),
      parent_(std::move(parent)),
      name_(std::move(name)),
      fifos_(user_inboxes + 1),
      strand_(boost::asio::make_strand(*rt_->io)) {}

cell::~cell() {
  // Normally everything was drained at stop; a cell whose spawn failed in
  // the actor's constructor may still hold messages nobody could send yet.
  for (auto& fifo : fifos_) {
    while (envelope* item = fifo.pop_front()) delete item;
  }
}

void intrusive_ptr_add_ref(cell* c) noexcept { c->refs_.fetch_add(1, std::memory_order_relaxed); }

void intrusive_ptr_release(cell* c) noexcept {
  if (c->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete c;
}

cell_ptr make_cell(const std::shared_ptr<runtime>& rt, cell_ptr parent, std::string name,
                   std::size_t user_inboxes) {
  if (name.empty()) throw std::invalid_argument("weir::spawn: actor name must not be empty");
  if (name.find('/') != std::string::npos) {
    throw std::invalid_argument("weir::spawn: actor name '" + name + "' must not contain '/'");
  }
  return cell_ptr(new cell(rt, std::move(parent), std::move(name), user_inboxes));
}

cell_ptr cell::make_guardian(const std::shared_ptr<runtime>& rt) {
  cell_ptr guardian(new cell(rt, nullptr, "", 0));
  guardian->launch();
  return guardian;
}

std::string cell::path() const {
  if (parent_ == nullptr) return "";  // the guardian is the root, "/"
  return parent_->path() + "/" + name_;
}

void cell::attach_behavior(std::unique_ptr<actor_base> behavior) noexcept {
  behavior_ = std::move(behavior);
}

construction_scope::construction_scope(cell& c) noexcept : previous_(constructing) { constructing = &c; }
construction_scope::~construction_scope() { constructing = previous_; }

cell* construction_scope::claim() noexcept {
  cell* c = constructing;
  constructing = nullptr;  // a member that is itself an actor must not bind the same cell
  return c;
}

const cell::strand_type& cell::strand() const {
  if (!strand_) throw std::logic_error("weir: actor '" + name_ + "' has stopped; it has no executor");
  return *strand_;
}

// ---------------------------------------------------------------------------
// Enqueueing and scheduling.

send_result cell::enqueue_user(cell_envelope* message) noexcept {
  switch (queue_.push(message)) {
    case push_result::queued_and_woke:
      wake();
      return send_result::ok;
    case push_result::queued:
      // The sender keeps working: a wake it holds is better run elsewhere.
      if (turn_scope::active != nullptr) turn_scope::active->release_held();
      return send_result::ok;
    case push_result::closed:
      break;
  }
  discard(message);
  return send_result::closed;
}

bool cell::enqueue_system(cell_envelope* signal) noexcept {
  switch (queue_.push(signal)) {
    case push_result::queued_and_woke:
      wake();
      return true;
    case push_result::queued:
      return true;
    case push_result::closed:
      break;
  }
  discard(signal);
  return false;
}

void cell::request_stop(exit_kind kind) noexcept {
  try {
    enqueue_system(new stop_signal(exit_reason{kind, {}}));
  } catch (const std::bad_alloc&) {
    rt_->logger->critical("weir: out of memory asking actor {} to stop", path());
  }
}

void cell::wake() {
  if (turn_scope* turn = turn_scope::active; turn != nullptr) {
    turn->release_held();
    turn->held = this;
  } else {
    post_turn();
  }
}

// The strand's own post/defer go straight to its service; the generic
// asio::post(executor, f) first copies the strand through prefer(), which
// costs two more atomic reference-count operations on every hop.
void cell::post_turn() {
  strand_->post([this] { run_turn(); }, std::allocator<void>{});
}

void cell::defer_turn() {
  strand_->defer([this] { run_turn(); }, std::allocator<void>{});
}

void cell::launch() {
  if (parent_ != nullptr) {  // the guardian is not an actor of the user's
    rt_->live.fetch_add(1, std::memory_order_relaxed);
    rt_->started.fetch_add(1, std::memory_order_relaxed);
  }
  wake();
}

// A cell is alive while a turn can run: its parent's link holds a reference
// until child_stopped is handled, and that signal is the last thing its last
// turn does. So a turn may capture `this` without a reference.
void cell::run_turn() {
  turn_scope turn(*this);
  if (current_phase() == phase::created) {
    phase_.store(phase::running, std::memory_order_release);
    if (behavior_) {
      try {
        behavior_->on_start();
        started_ = true;
      } catch (...) {
        crash(std::current_exception(), nullptr);
      }
      if (quit_requested_ && is_running()) begin_stop(exit_reason{exit_kind::normal, {}});
    } else {
      started_ = true;
    }
  }

  if (current_phase() != phase::stopped) distribute(queue_.take_all());  // fresh signals first
  std::size_t budget = rt_->config.batch;
  while (current_phase() != phase::stopped) {
    cell_envelope* item = next_envelope();
    if (item == nullptr) {
      if (queue_.try_sleep()) return;  // a push will wake us
      continue;                        // a push raced us: keep going
    }
    turn.release_held();
    handle_one(item);
    if (--budget == 0) {
      if (current_phase() != phase::stopped) post_turn();  // yield to other actors
      break;
    }
  }
  if (current_phase() == phase::stopped) notify_parent_and_release();  // last act: may free *this
}

void cell::distribute(mailbox_queue::chain taken) noexcept {
  for (envelope* item = taken.first; item != nullptr;) {
    envelope* next = item->next;
    fifos_[item->inbox].push_back(item);
    ++local_count_;
    item = next;
  }
}

cell_envelope* cell::next_envelope() {
  for (;;) {
    if (local_count_ > 0) {
      // Runtime signals first, then user inboxes in priority order. While
      // stopping, user messages wait; they become dead letters at the end.
      const std::size_t last = is_running() ? fifos_.size() : 1;
      for (std::size_t i = 0; i < last; ++i) {
        if (envelope* item = fifos_[i].pop_front()) {
          --local_count_;
          return static_cast<cell_envelope*>(item);
        }
      }
    }
    mailbox_queue::chain taken = queue_.take_all();
    if (taken.empty()) return nullptr;
    distribute(taken);
  }
}

void cell::handle_one(cell_envelope* item) {
  std::unique_ptr<cell_envelope> owned(item);
  const bool user_message = item->inbox != system_inbox;
  try {
    item->deliver(*this);
    // Single writer: a plain store is enough and avoids a locked instruction.
    if (user_message) handled_.store(handled_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  } catch (...) {
    crash(std::current_exception(), item);
  }
  if (quit_requested_ && is_running()) begin_stop(exit_reason{exit_kind::normal, {}});
}

void cell::run_guarded(const std::function<void()>& fn) {
  if (!is_running()) return;
  turn_scope turn(*this);
  try {
    fn();
  } catch (...) {
    exit_reason reason = exit_reason::from_exception(std::current_exception());
    rt_->crashes.fetch_add(1, std::memory_order_relaxed);
    rt_->logger->error("weir: actor {} crashed in an Asio completion: {}", path(), reason.detail);
    // Stopping always happens inside a turn (see run_turn), so ask for it.
    enqueue_system(new stop_signal(std::move(reason)));
    return;
  }
  if (quit_requested_) enqueue_system(new stop_signal(exit_reason{exit_kind::normal, {}}));
}

// ---------------------------------------------------------------------------
// Crashes, dead letters.

void cell::crash(std::exception_ptr error, const cell_envelope* culprit) {
  exit_reason reason = exit_reason::from_exception(error);
  rt_->crashes.fetch_add(1, std::memory_order_relaxed);
  if (culprit != nullptr && culprit->inbox != system_inbox) {
    // The message that crashed the actor is dead-lettered, never retried.
    dead_letters_.fetch_add(1, std::memory_order_relaxed);
    rt_->dead_letters.fetch_add(1, std::memory_order_relaxed);
    rt_->logger->error("weir: actor {} crashed handling {}: {}", path(), type_name(culprit->type()),
                       reason.detail);
  } else {
    rt_->logger->error("weir: actor {} crashed in {}: {}", path(),
                       culprit != nullptr ? type_name(culprit->type()) : std::string{"on_start"},
                       reason.detail);
  }
  begin_stop(std::move(reason));
}

void cell::discard(envelope* item) noexcept {
  auto* dropped = static_cast<cell_envelope*>(item);
  if (item->inbox != system_inbox) {
    dead_letters_.fetch_add(1, std::memory_order_relaxed);
    rt_->dead_letters.fetch_add(1, std::memory_order_relaxed);
    if (rt_->logger->should_log(spdlog::level::debug)) {
      rt_->logger->debug("weir: dead letter {} to stopped actor {}", type_name(dropped->type()), path());
    }
  } else if (dropped->type() == typeid(adopt_signal)) {
    // A child spawned into us as we closed: it must never run.
    static_cast<adopt_signal*>(dropped)->child().abort_unstarted();
  }
  delete dropped;
}

// ---------------------------------------------------------------------------
// The tree: adopting children and stopping in order.

void cell::hand_to_parent(const cell_ptr& child) {
  cell* parent = child->parent();
  if (current() == parent) {
    parent->adopt(child);  // we run the parent's turn: link now, atomically with the spawn
  } else {
    parent->enqueue_system(new adopt_signal(child));  // if refused, discard() aborts the child
  }
}

void cell::adopt(const cell_ptr& child) {
  if (!is_running()) {
    child->abort_unstarted();
    return;
  }
  link_child(*child);
  child->launch();
}

void cell::link_child(cell& child) noexcept {
  intrusive_ptr_add_ref(&child);
  child.prev_sibling_ = last_child_;
  child.next_sibling_ = nullptr;
  if (last_child_ != nullptr) {
    last_child_->next_sibling_ = &child;
  } else {
    first_child_ = &child;
  }
  last_child_ = &child;
}

void cell::unlink_child(cell& child) noexcept {
  (child.prev_sibling_ != nullptr ? child.prev_sibling_->next_sibling_ : first_child_) = child.next_sibling_;
  (child.next_sibling_ != nullptr ? child.next_sibling_->prev_sibling_ : last_child_) = child.prev_sibling_;
  child.prev_sibling_ = child.next_sibling_ = nullptr;
  intrusive_ptr_release(&child);
}

void cell::on_child_stopped(cell& child) {
  if (rt_->logger->should_log(spdlog::level::debug)) {  // path() and to_string() allocate
    rt_->logger->debug("weir: actor {} stopped ({})", child.path(), child.reason_.to_string());
  }
  unlink_child(child);
  if (current_phase() == phase::stopping) stop_next_child();
}

void cell::begin_stop(exit_reason reason) {
  if (!is_running()) return;
  phase_.store(phase::stopping, std::memory_order_release);
  reason_ = std::move(reason);
  stop_next_child();
}

void cell::stop_next_child() {
  if (last_child_ == nullptr) {
    finish_stop();
    return;
  }
  // Newest first, one at a time: each confirms with child_stopped. A child
  // already stopping on its own will confirm anyway: no need to ask.
  cell& child = *last_child_;
  const phase state = child.current_phase();
  if (!child.stop_sent_by_parent_ && (state == phase::created || state == phase::running)) {
    child.stop_sent_by_parent_ = true;
    child.request_stop(exit_kind::shutdown);
  }
}

void cell::finish_stop() {
  if (started_ && behavior_) {
    try {
      behavior_->on_stop();
    } catch (...) {
      exit_reason thrown = exit_reason::from_exception(std::current_exception());
      rt_->crashes.fetch_add(1, std::memory_order_relaxed);
      rt_->logger->error("weir: actor {} crashed in on_stop: {}", path(), thrown.detail);
      if (!reason_.is_crash()) reason_ = std::move(thrown);
    }
  }
  for (auto& timer : timers_) {
    timer->cancelled = true;
    if (timer->armed) timer->armed->cancel();
  }
  timers_.clear();
  behavior_.reset();
  phase_.store(phase::stopped, std::memory_order_release);
  mailbox_queue::chain leftovers = queue_.close();
  distribute(leftovers);
  for (auto& fifo : fifos_) {
    while (envelope* item = fifo.pop_front()) discard(item);
  }
  local_count_ = 0;
  if (parent_ != nullptr) rt_->live.fetch_sub(1, std::memory_order_relaxed);
}

void cell::abort_unstarted() {
  reason_ = exit_reason{exit_kind::never_started, {}};
  phase_.store(phase::stopped, std::memory_order_release);
  distribute(queue_.close());
  for (auto& fifo : fifos_) {
    while (envelope* item = fifo.pop_front()) discard(item);
  }
  local_count_ = 0;
  behavior_.reset();
  strand_.reset();
  if (rt_->logger->should_log(spdlog::level::debug)) {
    rt_->logger->debug("weir: actor {} never started: its parent was stopping", path());
  }
}

void cell::notify_parent_and_release() {
  strand_.reset();  // the running invoker keeps its own reference to the strand
  if (parent_ != nullptr) {
    cell_ptr parent = parent_;
    parent->enqueue_system(new child_stopped_signal(cell_ptr(this)));
    return;  // *this may be gone now
  }
  std::shared_ptr<runtime> rt = rt_;
  {
    std::lock_guard lock(rt->stop_mutex);
    rt->guardian_stopped = true;
  }
  rt->stop_cv.notify_all();
}

// ---------------------------------------------------------------------------
// Timers.

std::shared_ptr<timer_state> cell::start_timer(clock::duration first, clock::duration period,
                                               std::function<void()> callback) {
  auto timer = std::make_shared<timer_state>();
  timer->callback = std::move(callback);
  timer->periodic = period.count() > 0;
  std::weak_ptr<timer_state> weak = timer;
  // The clock calls this on any thread; it only hands a signal to our mailbox.
  timer->armed = rt_->clock->arm(rt_->clock->now() + first, period, [self = cell_ptr(this), weak] {
    if (auto fired = weak.lock()) self->enqueue_system(new timer_signal(std::move(fired)));
  });
  timers_.push_back(timer);
  return timer;
}

void cell::cancel_timer(timer_state& timer) noexcept {
  if (timer.cancelled) return;
  timer.cancelled = true;
  if (timer.armed) timer.armed->cancel();
  std::erase_if(timers_, [&](const auto& t) { return t.get() == &timer; });
}

void cell::on_timer(const std::shared_ptr<timer_state>& timer) {
  if (timer->cancelled || !is_running()) return;  // cancelled after it fired
  if (!timer->periodic) cancel_timer(*timer);
  timer->callback();
}

}  // namespace weir::detail
