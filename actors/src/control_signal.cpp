#include <weir/detail/control_signal.hpp>
#include <weir/detail/supervision_port.hpp>

#include <type_traits>

#include <spdlog/spdlog.h>

#include <new>

namespace weir::detail {

namespace {

// The inbox a signal waits in (see signals).
template <class Signal>
constexpr inbox_index inbox_of(const Signal&) noexcept {
  if constexpr (requires { Signal::inbox; }) {
    return Signal::inbox;
  } else {
    return control_inbox;
  }
}

// What each signal does to the actor that handles it, on its strand.
struct apply_signal {
  cell& receiver;

  void operator()(signals::stop& s) const { receiver.begin_stop(std::move(s.reason)); }
  void operator()(signals::adopt& s) const { receiver.adopt(s.child); }
  void operator()(signals::child_stopped& s) const { receiver.on_child_stopped(*s.child); }
  void operator()(signals::child_exited& s) const { receiver.on_child_exited(*s.child, s.reason); }
  void operator()(signals::restart& s) const { receiver.restart(s.make); }
  void operator()(signals::release&) const { receiver.release(); }
  void operator()(signals::stop_timeout& s) const { receiver.on_stop_timeout(*s.child); }
  void operator()(signals::watch& s) const { receiver.add_watcher(std::move(s.observer)); }
  void operator()(signals::link& s) const { receiver.add_link(s.peer); }
  void operator()(signals::unlink& s) const { receiver.drop_link(*s.peer); }
  void operator()(signals::linked_stop& s) const { receiver.on_linked_exit(*s.from, s.reason); }
  void operator()(signals::down_notice& s) const { receiver.on_down(std::move(s.notice)); }
  void operator()(signals::linked_exit_notice& s) const { receiver.deliver_linked_exit(std::move(s.notice)); }
  void operator()(signals::timer_fired& s) const { receiver.on_timer(s.timer); }
  void operator()(signals::credit& s) const { receiver.on_credit(s.edge); }
  void operator()(signals::hold& s) const { receiver.set_held(s.held); }
  void operator()(signals::resume_inbox&) const { receiver.set_inbox_paused(false); }
  void operator()(signals::penalty_paid&) const { receiver.on_penalty_paid(); }
  void operator()(signals::ask_failed& s) const { receiver.fail_ask(s.id, s.error); }
};

// What a signal still owes when its receiver has closed its mailbox.
struct settle_undelivered {
  // A child spawned into a parent that closed meanwhile must never run.
  void operator()(signals::adopt& s) const noexcept { s.child->abort_unstarted(); }
  // Only a child the parent cut off can still be running once the parent
  // closed; nobody will unlink it now, so drop the link's reference here.
  void operator()(signals::child_stopped& s) const noexcept { intrusive_ptr_release(s.child.get()); }
  // The parent is gone (it cut this child off): nobody will restart it.
  void operator()(signals::child_exited& s) const noexcept { supervision_port::release_child(*s.child); }
  // The target had stopped for good: the watch fires at once.
  void operator()(signals::watch& s) const noexcept { s.observer.notify(*s.target, s.target->last_reason()); }
  // Linked to an actor already stopped: the peer learns its exit at once.
  void operator()(signals::link& s) const noexcept {
    s.peer->exit_from_link_later(s.target, s.target->last_reason());
  }
  // Every other signal only meant something to a running receiver.
  template <class Signal>
  void operator()(Signal&) const noexcept {}
};

}  // namespace

signal_envelope::signal_envelope(control_signal signal)
    : cell_envelope(std::visit([](const auto& s) { return inbox_of(s); }, signal)), signal_(std::move(signal)) {}

void signal_envelope::deliver(cell& receiver) { std::visit(apply_signal{receiver}, signal_); }

const std::type_info& signal_envelope::type() const noexcept {
  return std::visit([](const auto& signal) -> const std::type_info& { return typeid(signal); }, signal_);
}

const char* signal_envelope::callback() const noexcept {
  return std::visit(
      [](const auto& signal) -> const char* {
        if constexpr (requires { std::decay_t<decltype(signal)>::callback; }) {
          return std::decay_t<decltype(signal)>::callback;
        } else {
          return nullptr;
        }
      },
      signal_);
}

void signal_envelope::on_undelivered() noexcept { std::visit(settle_undelivered{}, signal_); }

void post_signal(cell& to, const char* what, control_signal signal) noexcept {
  try {
    to.enqueue_system(new signal_envelope(std::move(signal)));
  } catch (const std::bad_alloc&) {
    to.rt().logger->critical("weir: out of memory: could not {} {}", what, to.path());
  }
}

}  // namespace weir::detail
