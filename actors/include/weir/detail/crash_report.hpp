#pragma once
// weir/detail/crash_report.hpp — what a crash costs: one count and one rate-limited line naming what threw.

#include <weir/exit_reason.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>

namespace weir::detail {

class cell_envelope;
class log_limiter;

/// Every place where user code may throw (a handler, a callback, on_start,
/// on_stop, a restart's constructor) reports through here, so that a crash
/// is counted once and logged one way: "weir: actor <path> <what>: <type>:
/// <message>", once per crash loop and then its count (see log_limiter).
/// Whatever else a crash does (dead-letter the culprit, stop, exit to the
/// supervisor) stays with the caller: this class only records.
///
/// Thread safety: any thread (the counter is atomic, the limiter locks).
class crash_report {
 public:
  crash_report(std::atomic<std::uint64_t>& crashes, log_limiter& log) noexcept : crashes_(crashes), log_(log) {}

  /// Records the crash `error` of the actor at `path`; `site` keys its rate
  /// limit ("crash", "on_stop", "restart-failed"), `what` is the phrase the
  /// line says ("crashed handling job", "could not be restarted"). Returns
  /// the exit reason the exception makes.
  exit_reason record(std::string_view site, std::string_view path, std::string_view what,
                     std::exception_ptr error) const;

  /// The phrase for a crash while delivering `culprit`: "crashed handling
  /// <type>" for a user message, "crashed in <callback>" for a callback
  /// ("a timer callback", "an ask continuation (reply)"...), "crashed in
  /// on_start" when nothing was being delivered.
  [[nodiscard]] static std::string what_threw(const cell_envelope* culprit, bool user_message);

 private:
  std::atomic<std::uint64_t>& crashes_;
  log_limiter& log_;
};

}  // namespace weir::detail
