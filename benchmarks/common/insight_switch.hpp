// The --insight on|off switch of weir's throughput benchmarks (issue #5): the
// same workload with system_config::insight.enabled on (the default, as in
// production: per-handler stamps and the watchdog thread) or off, so that
// `benchmarks/run --only insight` can time both in one run and print what
// insight costs as a ratio. Also reports how much work the deadlock
// detector did: system::waits_begun().
#pragma once

#include "bench.hpp"

#include <weir/config.hpp>
#include <weir/system.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace bench {

/// What the command line asked for, and where the size argument is.
struct insight_switch {
  bool enabled = true;
  bool explicit_choice = false;  ///< --insight was given
  int size_arg = 1;              ///< argv index of the optional size, after the switch

  /// Metric names: as they were without the switch (so the metrics of the
  /// other families keep their names), suffixed -insight-on or -insight-off with it, so
  /// that benchmarks/run --only insight gets the two as metrics of their own
  /// whose runs pair up round by round.
  [[nodiscard]] std::string metric(std::string_view bench) const {
    if (!explicit_choice)
      return std::string{bench};
    return std::string{bench} + (enabled ? "-insight-on" : "-insight-off");
  }

  /// A system config with insight on or off and `threads` threads;
  /// everything else the default.
  [[nodiscard]] weir::system_config config(std::size_t threads) const {
    weir::system_config config;
    config.threads = threads;
    config.insight.enabled = enabled;
    return config;
  }
};

/// Reads an optional leading "--insight on|off"; anything else after
/// "--insight" exits with status 2 and a message (see arg_or).
inline insight_switch parse_insight_switch(int argc, char** argv) {
  insight_switch out;
  if (argc < 2 || std::string_view{argv[1]} != "--insight")
    return out;
  const std::string_view value = argc > 2 ? std::string_view{argv[2]} : std::string_view{};
  if (value != "on" && value != "off") {
    std::fprintf(stderr, "%s: --insight needs on or off, got '%.*s'\n", argv[0],
                 static_cast<int>(value.size()), value.data());
    std::exit(2);
  }
  out.enabled = value == "on";
  out.explicit_choice = true;
  out.size_arg = 3;
  return out;
}

/// Prints "<bench>-waits weir: W waits/Mmsg": waits that entered the
/// wait-for graph during the run (system::waits_begun(), all the deadlock
/// detector's work) per million messages; the raw count goes to stderr.
/// Zero for a run in which no actor ever suspended or asked.
inline void report_waits(const insight_switch& insight, std::string_view bench, const weir::system& sys,
                         std::uint64_t messages) {
  const std::uint64_t waits = sys.waits_begun();
  std::fprintf(stderr, "%.*s: system.waits_begun() = %llu over %llu messages\n", static_cast<int>(bench.size()),
               bench.data(), static_cast<unsigned long long>(waits), static_cast<unsigned long long>(messages));
  report(insight.metric(std::string{bench} + "-waits"), "weir",
         messages == 0 ? 0.0 : static_cast<double>(waits) * 1e6 / static_cast<double>(messages), "waits/Mmsg");
}

} // namespace bench
