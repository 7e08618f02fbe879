#pragma once
// weir/deadlock.hpp — a cycle in the wait-for graph, and what the runtime does about it.

#include <weir/wait_record.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weir {

/// What the runtime does when a wait closes a cycle (system_config::deadlock).
/// Every choice first reports it: spdlog at error level, then
/// system_config::on_deadlock.
enum class deadlock_remedy : std::uint8_t {
  report,        ///< nothing more: the application decides (asks still time out)
  fail_one,      ///< the actor whose wait closed the cycle crashes; its supervisor restarts it
  grant_credit,  ///< one bounded edge of the cycle gets overflow credit for what its sender holds, so it resumes
};

constexpr std::string_view to_string(deadlock_remedy r) noexcept {
  switch (r) {
    case deadlock_remedy::report: return "report";
    case deadlock_remedy::fail_one: return "fail_one";
    case deadlock_remedy::grant_credit: return "grant_credit";
  }
  return "?";
}

/// A wait-for cycle, named the moment it closed: cycle[i] waits on
/// cycle[i + 1], and the last waits on the first.
struct deadlock_report {
  struct member {
    actor_id id = 0;
    std::string path;
    wait_kind kind = wait_kind::credit;
    std::string on;            ///< the edge ("/a -> /b") or, for a reply, the asked actor's path
    std::string message_type;  ///< what the edge carries (credit waits)
    std::int64_t depth = -1;   ///< messages on the edge not yet consumed (credit waits)
    std::int64_t capacity = -1;
  };
  std::vector<member> cycle;
  deadlock_remedy remedy = deadlock_remedy::report;

  /// "/a waits for credit on /a -> /b (ping, 1 of 1 unconsumed); /b waits for ..."
  [[nodiscard]] std::string to_string() const;
};

}  // namespace weir
