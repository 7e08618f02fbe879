// The cell's ties to others: asks, timers, monitors and links.

#include <weir/actor.hpp>
#include <weir/detail/cell.hpp>
#include "cell_extras.hpp"
#include <weir/detail/ask_book.hpp>
#include <weir/detail/control_signal.hpp>
#include <weir/detail/crash_report.hpp>
#include <weir/detail/duration_text.hpp>
#include <weir/detail/links_monitors.hpp>
#include <weir/detail/log_limiter.hpp>
#include <weir/detail/edge_book.hpp>
#include <weir/detail/foreign_penalty.hpp>
#include <weir/detail/ring_state.hpp>
#include <weir/detail/scheduler.hpp>
#include <weir/detail/stop_deadlines.hpp>
#include <weir/detail/timer_set.hpp>
#include <weir/detail/type_name.hpp>
#include <weir/mailbox/fair_picker.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

namespace weir::detail {

// ---------------------------------------------------------------------------
// Asks.

cell_extras& cell::extras() {
  if (!extras_) extras_ = std::make_unique<cell_extras>();
  return *extras_;
}

edge_book* cell::parked_edges() const noexcept {
  return extras_ && !extras_->parked_edges.empty() ? &extras_->parked_edges : nullptr;
}

std::string cell::reason_text() const { return extras_ ? extras_->reason.to_string() : std::string{"normal"}; }

std::uint64_t cell::begin_ask(const cell& target, clock::duration timeout, std::function<void(void*)> on_reply,
                              std::function<void(std::uint8_t)> on_error) {
  std::unique_ptr<ask_book>& book = extras().asks;
  if (!book) book = std::make_unique<ask_book>();
  const clock::time_point now = rt_->clock->now();
  const std::uint64_t id =
      book->add(pending_ask{std::move(on_reply), std::move(on_error), nullptr, &target, now}, [&](std::uint64_t ask) {
        // The timer only hands a signal over; a reply first cancels it.
        return rt_->clock->arm(now + timeout, clock::duration::zero(),
                               [self = cell_ptr(this), ask] { self->fail_ask_later(ask, 0 /* ask_error::timeout */); });
      });
  record_wait(id, wait_record{wait_kind::reply, target.path(), target.id(), now});
  note_wait(wait_arc{this, wait_kind::reply, id, &target, nullptr, now});
  pending_asks_.fetch_add(1, std::memory_order_relaxed);
  return id;
}

std::optional<pending_ask> cell::take_ask(std::uint64_t id) {
  if (!is_running() || !extras_ || !extras_->asks) return std::nullopt;
  std::optional<pending_ask> ask = extras_->asks->take(id);
  if (ask) {
    pending_asks_.fetch_sub(1, std::memory_order_relaxed);
    end_wait(wait_kind::reply, id);
  }
  return ask;
}

void cell::complete_ask(std::uint64_t id, void* reply) {
  std::optional<pending_ask> ask = take_ask(id);
  if (!ask) {  // timed out (or failed) before: counted, never delivered twice
    late_replies_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  ask->on_reply(reply);
}

void cell::fail_ask(std::uint64_t id, std::uint8_t error) {
  std::optional<pending_ask> ask = take_ask(id);
  if (!ask) return;  // answered already: a token dropped after replying, or a timer that lost the race
  ask->on_error(error);
}

void cell::fail_ask_later(std::uint64_t id, std::uint8_t error) noexcept {
  post_signal(*this, "fail an ask of", signals::ask_failed{id, error});
}

// ---------------------------------------------------------------------------
// Timers.

std::shared_ptr<timer_state> cell::start_timer(clock::duration first, clock::duration period,
                                               std::function<void()> callback) {
  return extras().timers.start(std::move(callback), period.count() > 0, [&](std::weak_ptr<timer_state> weak) {
    // The clock calls this on any thread; it only hands a signal to our mailbox.
    return rt_->clock->arm(rt_->clock->now() + first, period, [self = cell_ptr(this), weak] {
      if (auto fired = weak.lock()) self->enqueue_system(new signal_envelope(signals::timer_fired{std::move(fired)}));
    });
  });
}

void cell::cancel_timer(timer_state& timer) noexcept {
  if (extras_) extras_->timers.cancel(timer);  // a timer exists only in its cell's extras
}

void cell::on_timer(const std::shared_ptr<timer_state>& timer) {
  if (!is_running()) return;
  extras().timers.fire(timer);
}

// ---------------------------------------------------------------------------
// Monitors and links.

// Before launch (a monitor made with the spawn) or from a watch signal: the
// cell has not stopped either way (a signal to a stopped cell is refused, and
// its on_undelivered fires the watch instead).
void cell::add_watcher(watcher w) {
  extras().links.add_watcher(std::move(w));
}

void cell::watch_later(watcher w) noexcept {
  // If our mailbox is closed, the signal's on_undelivered fires it at once.
  post_signal(*this, "watch", signals::watch{cell_ptr(this), std::move(w)});
}

void cell::add_link(const cell_ptr& peer) {
  extras().links.add_link(peer);
}

void cell::link_later(cell_ptr peer) noexcept {
  post_signal(*this, "link", signals::link{cell_ptr(this), std::move(peer)});
}

void cell::unlink_later(const cell& peer) noexcept { post_signal(*this, "unlink", signals::unlink{&peer}); }

void cell::exit_from_link_later(cell_ptr from, exit_reason reason) noexcept {
  post_signal(*this, "deliver a linked exit to", signals::linked_stop{std::move(from), std::move(reason)});
}

void cell::down_later(down notice) noexcept {
  post_signal(*this, "deliver a down notice to", signals::down_notice{std::move(notice)});
}

void cell::drop_link(const cell& peer) noexcept {
  if (extras_) extras_->links.drop_link(peer);
}

void cell::set_trap_exit(bool trap) noexcept { extras().links.set_trap_exit(trap); }

std::uint64_t cell::next_monitor_ref() noexcept {
  return extras().links.open_monitor();
}

void cell::demonitor(std::uint64_t ref) noexcept {
  if (extras_) extras_->links.demonitor(ref);
}

void cell::on_down(down notice) {
  if (!is_running() || !behavior_ || !extras_) return;
  if (!extras_->links.take_monitor(notice.ref.value)) return;  // demonitored: OTP's flush semantics
  behavior_->on_down(notice);
}

// OTP's rules: unlinked meanwhile, nothing; trapping, a message; otherwise
// any reason but `normal` stops this actor too, naming the other.
void cell::on_linked_exit(const cell& from, const exit_reason& reason) {
  if (!extras_) return;
  if (!extras_->links.take_link(from)) return;
  if (extras_->links.trap_exit()) {
    post_signal(*this, "deliver a linked exit to",
                signals::linked_exit_notice{linked_exit{from.id(), from.path(), reason}});
    return;
  }
  if (reason.kind == exit_kind::normal) return;
  const exit_kind kind = reason.kind == exit_kind::shutdown || reason.kind == exit_kind::never_started
                             ? exit_kind::shutdown
                             : exit_kind::crashed;
  begin_stop(exit_reason{kind, "linked to " + from.path() + ", which exited: " + reason.to_string()});
}

void cell::deliver_linked_exit(linked_exit notice) {
  if (is_running() && behavior_) behavior_->on_linked_exit(notice);
}

}  // namespace weir::detail
