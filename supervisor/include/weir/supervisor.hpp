#pragma once
// weir/supervisor.hpp — an OTP supervisor as an actor: starts, watches and restarts its children.

#include <weir/actor.hpp>
#include <weir/ask.hpp>
#include <weir/child_spec.hpp>
#include <weir/detail/supervision_port.hpp>
#include <weir/supervisor_flags.hpp>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace weir {

/// One child as its supervisor sees it (OTP's which_children).
struct child_info {
  std::string name;
  std::string path;
  actor_id id = 0;
  child_kind kind = child_kind::worker;
  restart_type restart = restart_type::permanent;
  std::uint32_t restarts = 0;  ///< times restarted by this supervisor
  bool running = false;        ///< false while exited, waiting out a back-off, or stopping
};

/// Starts a child at runtime. The reply (if asked) is its info, or an error
/// naming what is wrong (a duplicate name...); the supervisor never crashes
/// on a bad spec.
struct start_child {
  child_spec spec;
  reply_to<std::string> reply;  ///< "" when started, otherwise the error
};
/// Stops a child (with its shutdown policy) and forgets its spec.
struct terminate_child {
  std::string name;
  reply_to<bool> reply;  ///< true if there was such a child
};
struct which_children {
  reply_to<std::vector<child_info>> reply;
};

/// A supervisor: spawn it like any actor, with its flags and child specs:
///
///     auto root = sys.spawn<weir::supervisor>("root", weir::supervisor_flags{...}, std::vector{
///         weir::supervisor_child("db", {.strategy = weir::restart_strategy::rest_for_one}, {...}),
///         weir::worker<api>("api", weir::sibling<db_pool>{"pool"})});
///
/// Children start in order in on_start, as children of this actor: their
/// handles work from then on, across restarts (the same cell, mailbox and
/// edges; only the behaviour object is made anew). A restart keeps what was
/// queued for the child, minus the message that crashed it (dead-lettered).
/// The supervisor stops its children in reverse start order, each within its
/// shutdown policy, whenever it stops.
///
/// Start is asynchronous (unlike OTP's start_link): a child's on_start runs
/// on its own strand after the supervisor's on_start; a child whose on_start
/// throws has crashed and is restarted like any other.
///
/// Thread safety: an actor; talk to it with messages.
class supervisor : public actor<start_child, terminate_child, which_children> {
 public:
  /// Throws std::invalid_argument naming this supervisor, the child and the
  /// field for invalid flags or specs (see validate()).
  supervisor(supervisor_flags flags, std::vector<child_spec> children);

  [[nodiscard]] const supervisor_flags& flags() const noexcept { return flags_; }

 protected:
  void on_start() override;
  void on_message(start_child& request) override;
  void on_message(terminate_child& request) override;
  void on_message(which_children& request) override;

 private:
  enum class child_state : std::uint8_t {
    running,   ///< its behaviour runs (or is starting)
    stopping,  ///< asked by us to stop; its exit report is awaited
    exited,    ///< ended; waits for our decision, a group restart, or its back-off
    gone,      ///< no cell (terminated, or transient/temporary done)
  };
  enum class stop_purpose : std::uint8_t { none, restart, terminate };

  struct child {
    explicit child(child_spec s) : spec(std::move(s)) {}
    child_spec spec;
    detail::cell_ptr cell;
    child_state state = child_state::gone;
    stop_purpose purpose = stop_purpose::none;
    std::uint32_t restarts = 0;
    std::uint32_t backoff_step = 0;  // consecutive restarts, for the back-off
    clock::time_point started_at{};
    /// Its exit arrived while a group restart it is not part of was under
    /// way; settled when the group is done (see deferred_).
    std::optional<exit_reason> pending_exit;
  };

  void on_supervised_exit(detail::cell& exited, const exit_reason& reason) override;
  void handle_exit(std::size_t index, const exit_reason& reason);
  [[nodiscard]] bool wants_restart(const child& c, const exit_reason& reason) const;
  bool note_restart(const child& c, const exit_reason& reason);
  void stop_next_in_group();
  void restart_now(const std::vector<std::string>& members);
  void restart_one(child& c);
  void start_fresh(child& c);
  void forget(std::size_t index);
  void release(child& c);
  [[nodiscard]] std::optional<std::size_t> index_of(const detail::cell& c) const;
  [[nodiscard]] std::optional<std::size_t> index_of(std::string_view name) const;
  [[nodiscard]] clock::duration backoff_delay(child& c);
  [[nodiscard]] child_info info(const child& c) const;
  /// Everything this supervisor does to its children goes through here.
  [[nodiscard]] detail::supervision_port port() const noexcept { return detail::supervision_port{own_cell()}; }

  supervisor_flags flags_;
  std::vector<child> children_;  // start order
  std::deque<clock::time_point> recent_restarts_;

  // A group restart in progress (one_for_all, rest_for_one): members stopped
  // newest first, one at a time, then all restarted in start order. Exits of
  // other children meanwhile mark them exited (so a later group does not
  // wait for them to stop) and wait in deferred_, in arrival order.
  std::vector<std::string> group_;  // names, in start order
  std::string trigger_;             // the child whose exit started the group (its back-off applies)
  std::deque<std::string> deferred_;  // children with a pending_exit
  std::uint64_t jitter_state_;
};

}  // namespace weir
