#pragma once
// weir/detail/cell_calls.hpp — what a handle asks of the cell behind it, out of line.
//
// A message type that holds a handle includes handle.hpp; if that pulled in
// cell.hpp it would compile the runtime and Asio into every such header. A
// handle reaches its cell only through these calls instead. Each is one call
// into the library; the send is out of line anyway.

#include <weir/detail/cell_envelope.hpp>
#include <weir/exit_reason.hpp>
#include <weir/send_result.hpp>
#include <weir/wait_record.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace weir::detail {

class cell;
class edge_state;

/// Sends the message at `payload` on `edge` into `receiver` (cell::send_on),
/// after noting the node's size (`node_bytes`) for the bytes-queued estimate.
[[nodiscard]] send_result send_to(cell& receiver, edge_state& edge, make_node_fn make, void* payload,
                                  std::size_t node_bytes);
/// The receiver's ad-hoc edge (cell::adhoc_edge).
edge_state& adhoc_edge_of(cell& receiver);
void request_stop_of(cell& target, exit_kind kind) noexcept;

// Observers (any thread; snapshots), as cell's of the same names.
[[nodiscard]] bool has_stopped(const cell& c) noexcept;
[[nodiscard]] std::uint64_t id_of(const cell& c) noexcept;
[[nodiscard]] const std::string& name_of(const cell& c) noexcept;
[[nodiscard]] std::string path_of(const cell& c);
[[nodiscard]] bool is_suspended(const cell& c) noexcept;
[[nodiscard]] bool is_paused(const cell& c) noexcept;
[[nodiscard]] std::vector<wait_record> waits_of(const cell& c);
[[nodiscard]] std::uint32_t pending_asks_of(const cell& c) noexcept;
[[nodiscard]] std::uint64_t late_replies_of(const cell& c) noexcept;
[[nodiscard]] std::int64_t queued_of(const cell& c) noexcept;
[[nodiscard]] std::uint64_t dead_letters_of(const cell& c) noexcept;
[[nodiscard]] std::uint64_t handled_of(const cell& c) noexcept;

}  // namespace weir::detail
