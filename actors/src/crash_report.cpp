// Counting and logging crashes (see crash_report.hpp).

#include <weir/detail/crash_report.hpp>

#include <weir/detail/cell_envelope.hpp>
#include <weir/detail/log_limiter.hpp>
#include <weir/detail/type_name.hpp>

namespace weir::detail {

exit_reason crash_report::record(std::string_view site, std::string_view path, std::string_view what,
                                 std::exception_ptr error) const {
  exit_reason reason = exit_reason::from_exception(error);
  crashes_.fetch_add(1, std::memory_order_relaxed);
  // Keyed by site, path and exception type: a crash loop logs once, then its count.
  log_.error(log_keys::crash(site, path, reason), "weir: actor {} {}: {}", path, what, reason.detail);
  return reason;
}

std::string crash_report::what_threw(const cell_envelope* culprit, bool user_message) {
  if (culprit == nullptr) return "crashed in on_start";
  if (user_message) return "crashed handling " + type_name(culprit->type());
  const char* callback = culprit->callback();
  return "crashed in " + (callback != nullptr ? std::string{callback} : type_name(culprit->type()));
}

}  // namespace weir::detail
