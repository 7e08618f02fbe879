// The calls handles make into their cell (see cell_calls.hpp).

#include <weir/detail/cell.hpp>
#include <weir/detail/cell_calls.hpp>

namespace weir::detail {

send_result send_to(cell& receiver, edge_state& edge, make_node_fn make, void* payload, std::size_t node_bytes) {
  edge.note_message_bytes(node_bytes);
  return receiver.send_on(edge, make, payload);
}

edge_state& adhoc_edge_of(cell& receiver) { return receiver.adhoc_edge(); }
void request_stop_of(cell& target, exit_kind kind) noexcept { target.request_stop(kind); }

bool has_stopped(const cell& c) noexcept { return c.current_phase() == phase::stopped; }
std::uint64_t id_of(const cell& c) noexcept { return c.id(); }
const std::string& name_of(const cell& c) noexcept { return c.name(); }
std::string path_of(const cell& c) { return c.path(); }
bool is_suspended(const cell& c) noexcept { return c.is_suspended(); }
bool is_paused(const cell& c) noexcept { return c.is_paused(); }
std::vector<wait_record> waits_of(const cell& c) { return c.waits(); }
std::uint32_t pending_asks_of(const cell& c) noexcept { return c.pending_asks(); }
std::uint64_t late_replies_of(const cell& c) noexcept { return c.late_replies(); }
std::int64_t queued_of(const cell& c) noexcept { return c.queued(); }
std::uint64_t dead_letters_of(const cell& c) noexcept { return c.dead_letters(); }
std::uint64_t handled_of(const cell& c) noexcept { return c.handled(); }

}  // namespace weir::detail
