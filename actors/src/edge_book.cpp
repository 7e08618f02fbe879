#include <weir/detail/edge_book.hpp>

#include <weir/detail/cell.hpp>
#include <weir/detail/edge_state.hpp>

#include <cstddef>
#include <iterator>
#include <utility>

namespace weir::detail {
namespace {

thread_local const parking_scope* active_parking = nullptr;

bool alike(const edge_state& edge, const edge_shape& shape) {
  return &edge.receiver == &shape.receiver && typeid(edge) == shape.state_type && edge.carries == shape.carries &&
         edge.policy == shape.policy && edge.kind() == shape.kind;
}

}  // namespace

void edge_book::park(edge_state& edge, bool claimable) {
  parked_.push_back({&edge, cell_ptr(&edge.receiver), claimable});
}

void edge_book::begin_incarnation() noexcept {
  for (parked& p : parked_) p.claimable = true;
}

edge_state* edge_book::take(const edge_shape& shape) noexcept {
  // Newest first: see the class comment.
  for (auto it = parked_.rbegin(); it != parked_.rend(); ++it) {
    if (it->claimable && alike(*it->edge, shape)) {
      edge_state* edge = it->edge;
      parked_.erase(std::next(it).base());
      return edge;
    }
  }
  return nullptr;
}

void edge_book::release(parked& p) noexcept {
  p.edge->release_owner();  // may delete the edge: its receiver must outlive that
  p.receiver.reset();
}

void edge_book::release_unclaimed() noexcept {
  // In place (no allocation): keep what a crash of the new behaviour parked.
  std::size_t kept = 0;
  for (std::size_t i = 0; i < parked_.size(); ++i) {
    if (parked_[i].claimable) {
      release(parked_[i]);
    } else {
      if (i != kept) parked_[kept] = std::move(parked_[i]);
      ++kept;
    }
  }
  parked_.erase(parked_.begin() + static_cast<std::ptrdiff_t>(kept), parked_.end());
}

void edge_book::release_all() noexcept {
  for (parked& p : std::exchange(parked_, {})) release(p);
}

parking_scope::parking_scope(const cell& sender, edge_book* book, bool claimable) noexcept
    : previous_(active_parking), sender_(sender.id()), book_(book), claimable_(claimable) {
  active_parking = this;
}

parking_scope::~parking_scope() { active_parking = previous_; }

void let_go(edge_state& edge) noexcept {
  // Let go by the actor that opened it, on its strand: an edge holding its
  // messages must not be served once it may be gone.
  if (cell* owner = edge_state::opening_actor(); owner != nullptr && owner->id() == edge.opened_by()) {
    owner->forget_dry(edge);
  }
  const parking_scope* scope = active_parking;
  if (scope != nullptr && scope->book_ != nullptr && edge.opened_by() != 0 && edge.opened_by() == scope->sender_) {
    try {
      scope->book_->park(edge, scope->claimable_);
      return;
    } catch (...) {
      // Out of memory: the edge closes instead, as it would without a book.
    }
  }
  edge.release_owner();
}

edge_state* take_parked(const edge_shape& shape) noexcept {
  cell* opener = edge_state::opening_actor();
  if (opener == nullptr) return nullptr;
  edge_book* book = opener->parked_edges();
  edge_state* edge = book != nullptr ? book->take(shape) : nullptr;
  // Messages held before the restart go on first, once on_start returns.
  // They do not suspend the new behaviour: it handles its mailbox (which is
  // how deadlock_remedy::fail_one breaks a cycle) until its own sends on
  // the edge are held behind them.
  if (edge != nullptr && edge->held() > 0) opener->note_holding(*edge, false);
  return edge;
}

}  // namespace weir::detail
