#pragma once
// weir/wait_record.hpp — what an actor is waiting for, as the runtime records it.

#include <weir/clock.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace weir {

using actor_id = std::uint64_t;

/// Why an actor waits.
enum class wait_kind : std::uint8_t {
  credit,  ///< suspended on a bounded edge with no credit
  reply,   ///< an ask is pending (the actor still serves other messages)
};

constexpr std::string_view to_string(wait_kind k) noexcept { return k == wait_kind::credit ? "credit" : "reply"; }

/// One wait of one actor: the edges of the wait-for graph. Recorded when the
/// wait begins, removed when it ends.
struct wait_record {
  wait_kind kind = wait_kind::credit;
  std::string on;         ///< the edge ("/a -> /b") or the asked actor's path
  actor_id target = 0;    ///< the actor waited for
  clock::time_point since{};
};

}  // namespace weir
