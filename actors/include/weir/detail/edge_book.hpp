#pragma once
// weir/detail/edge_book.hpp — a sender's edges, kept by its cell across a restart.

#include <weir/mailbox/policy.hpp>

#include <boost/smart_ptr/intrusive_ptr.hpp>

#include <cstdint>
#include <string_view>
#include <typeinfo>
#include <vector>

namespace weir::detail {

class cell;
class edge_state;
void intrusive_ptr_add_ref(cell* c) noexcept;
void intrusive_ptr_release(cell* c) noexcept;

/// What an edge being opened looks like, to find a parked one like it.
struct edge_shape {
  const cell& receiver;
  const std::type_info& state_type;  ///< edge_state, ring_state, pulse_state<T>, ...
  const std::type_info* carries;     ///< the interface; null for coalescing edges
  const edge_policy& policy;
  std::string_view kind;             ///< edge_state::kind(): "" or "pulse", "keyed(64)", ...
};

/// The sender's ends of the edges a supervised actor opened, while its
/// behaviour is being replaced. A restart destroys the behaviour object and
/// with it the weir::edge members that own those ends; without the book,
/// each edge would close and the new behaviour would open a fresh one with
/// full credit while the old one's messages are still queued (the receiver
/// could then hold twice the capacity "from one sender"), and the old
/// counters would vanish from snapshots. Instead:
///
///     crash -> finish_stop destroys the behaviour inside a parking_scope:
///              each edge it opened is parked here (not released)
///     restart: begin_incarnation(); the new behaviour's constructor and
///              on_start open edges: one to the same receiver with the same
///              interface, kind and policy takes the parked edge back, so
///              its counters go on and its credit stays true (an edge the
///              constructor lets go again, or a constructor that throws,
///              puts it back: claimable still)
///     on_start returned: release_unclaimed() lets go of the rest (they
///              close: final once drained, see edge_registry)
///     stopped for good: release_all()
///
/// Messages the old behaviour's sends held for want of credit stay held in
/// the parked edge; taken back, it goes on sending them (before anything
/// the new behaviour sends on it) once on_start returns, suspending the
/// actor while they wait, as for any actor (see bounded). Its credit is
/// never a second capacity. An edge released instead (not taken back, or
/// the actor stopped for good) dead-letters what it holds.
///
/// Several parked edges alike are taken back newest first: members are
/// destroyed in reverse order, so a behaviour that opens them in the order
/// it declares them gets each one's counters back.
///
/// Thread safety: the cell's strand only (or the spawning thread before the
/// cell runs), like the behaviour whose edges it keeps.
class edge_book {
 public:
  edge_book() = default;
  edge_book(const edge_book&) = delete;
  edge_book& operator=(const edge_book&) = delete;
  ~edge_book() { release_all(); }

  /// Takes over the sender's end of `edge` (whose receiver must be alive).
  /// `claimable`: the behaviour being built may take it back (an edge it
  /// took back and let go again); else only the next one may.
  void park(edge_state& edge, bool claimable);
  /// A new behaviour is coming: everything parked so far may be taken back.
  void begin_incarnation() noexcept;
  /// The parked edge like `shape` that the new behaviour may take back
  /// (its sender's end is the caller's now), or null.
  edge_state* take(const edge_shape& shape) noexcept;
  /// Lets go of what the new behaviour did not take back.
  void release_unclaimed() noexcept;
  void release_all() noexcept;
  [[nodiscard]] bool empty() const noexcept { return parked_.empty(); }

 private:
  struct parked {
    edge_state* edge;
    boost::intrusive_ptr<cell> receiver;  // keeps the receiver (edge->receiver) alive while parked
    bool claimable;                       // parked by an earlier behaviour: the new one may take it
  };
  static void release(parked& p) noexcept;

  std::vector<parked> parked_;
};

/// While it lives, edges that `sender` opened and that are let go on this
/// thread are parked in `book` instead of released (see edge_book), as
/// `claimable` (see edge_book::park). A null book parks nothing. Scopes nest.
class parking_scope {
 public:
  parking_scope(const cell& sender, edge_book* book, bool claimable) noexcept;
  ~parking_scope();
  parking_scope(const parking_scope&) = delete;
  parking_scope& operator=(const parking_scope&) = delete;

 private:
  const parking_scope* previous_;
  std::uint64_t sender_;
  edge_book* book_;
  bool claimable_;
  friend void let_go(edge_state& edge) noexcept;
};

/// The sender's end of an edge lets go of it: parked if a parking_scope of
/// the actor that opened it is active on this thread, else released.
void let_go(edge_state& edge) noexcept;

/// The sender's end of a new edge like `shape`: one the opening actor (see
/// edge_state::opening_actor) had parked across its restart, or null (open
/// a new one).
edge_state* take_parked(const edge_shape& shape) noexcept;

}  // namespace weir::detail
