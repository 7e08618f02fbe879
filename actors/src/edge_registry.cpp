#include <weir/detail/edge_registry.hpp>

#include <weir/detail/edge_state.hpp>
#include <weir/detail/type_name.hpp>

#include <boost/unordered/unordered_flat_set.hpp>

namespace weir::detail {

// Open addressing: every actor's ad-hoc edge enters and leaves here, so
// spawn-heavy work adds and erases once per actor; a node-based set spent
// a tenth of a fork-join run allocating, hashing and rehashing.
struct edge_registry::live_set : boost::unordered_flat_set<const edge_state*> {};

edge_registry::edge_registry() : edges_(std::make_unique<live_set>()) {}
edge_registry::~edge_registry() = default;

closed_edge_totals edge_registry::visit(const std::function<void(const edge_state&)>& live) const {
  std::lock_guard lock(mutex_);
  for (const edge_state* edge : *edges_) live(*edge);
  return closed_;
}
namespace {

closed_edge_key key_of(const edge_state& edge) {
  return {edge.describe(), edge.carries != nullptr ? type_name(*edge.carries) : std::string{}, edge.policy_text()};
}

void add_stats(closed_edge_sum& into, const edge_stats& s) {
  ++into.edges;
  into.totals += s;
}

}  // namespace

void add_closed(closed_edge_totals& into, const edge_state& edge) { add_stats(into[key_of(edge)], edge.stats()); }

const closed_edge_key& edge_registry::overflow_key() {
  static const closed_edge_key key{"(other closed edges)", {}, {}};
  return key;
}

void edge_registry::add(const edge_state* edge) {
  std::lock_guard lock(mutex_);
  edges_->insert(edge);
}

void edge_registry::retire(const edge_state& edge) noexcept {
  try {
    // An edge that carried nothing has nothing to account for.
    const edge_stats stats = edge.stats();
    if (stats.sent == 0) {
      std::lock_guard lock(mutex_);
      edges_->erase(&edge);
      return;
    }
    closed_edge_key key = key_of(edge);  // outside the lock: strings, a demangled name
    std::lock_guard lock(mutex_);
    edges_->erase(&edge);
    auto at = closed_.find(key);
    if (at == closed_.end()) {
      at = closed_.size() < max_closed_keys ? closed_.emplace(std::move(key), closed_edge_sum{}).first
                                            : closed_.try_emplace(overflow_key()).first;
    }
    add_stats(at->second, stats);
  } catch (...) {
    // Out of memory for the key: the counts are lost, but the edge must
    // still leave the live set before it is freed.
    std::lock_guard lock(mutex_);
    edges_->erase(&edge);
  }
}

}  // namespace weir::detail
