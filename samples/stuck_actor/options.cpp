#include "options.hpp"

#include "../common/args.hpp"

#include <cstdio>
#include <string_view>

namespace stuck_actor_sample {

namespace {

constexpr const char* usage = R"(usage: %s [--threads T] [--timeout S] [--serve S] [--quiet]

Three stuck situations under a small supervisor tree, on a thread pool:
  (a) /shop/orders/db blocks its thread in a handler (it waits on a lock
      held outside the actor system);
  (b) /shop/orders/checkout is suspended on its full bounded(4) edge into
      the blocked db;
  (c) /shop/telemetry/collector floods /shop/telemetry/indexer over a plain
      unbounded edge, twice as fast as the indexer can go.
The program waits (on insight_config::on_lint, no polling) until weir's
watchdog has raised blocking_handler, long_wait and inbox_growth for them,
prints each lint and the actor tree (system.tree_text()), checks the
snapshot names each situation, then releases everything and checks that
every message was handled.

  --threads T   pool threads (default 2, at least 2: the blocked handler
                holds one)
  --timeout S   seconds to wait for the lints, and then for the drain,
                before giving up (default 30)
  --serve S     serve the insight page on http://127.0.0.1:8642/ and keep
                the stuck state visible there for S seconds before releasing
  --quiet       weir's log at error level: no lint warnings on stderr

Exit status: 0 if all three lints came, the snapshot showed each situation
and nothing was lost; 1 otherwise (printed); 2 for a bad command line.
)";

}  // namespace

std::optional<options> parse_options(int argc, char** argv) {
  options parsed;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::printf(usage, argv[0]);
      parsed.help = true;
      return parsed;
    }
    if (flag == "--quiet") {
      parsed.quiet = true;
      continue;
    }
    std::size_t* target = flag == "--threads"   ? &parsed.threads
                          : flag == "--timeout" ? &parsed.timeout
                          : flag == "--serve"   ? &parsed.serve_seconds
                                                : nullptr;
    if (target == nullptr) {
      std::fprintf(stderr, "%s: unknown flag %s\n(%s --help for usage)\n", argv[0], argv[i], argv[0]);
      return std::nullopt;
    }
    if (i + 1 == argc || !samples::parse_positive(argv[i + 1], *target)) {
      std::fprintf(stderr, "%s: %s needs a positive integer\n", argv[0], argv[i]);
      return std::nullopt;
    }
    ++i;
  }
  if (parsed.threads < 2) {
    std::fprintf(stderr, "%s: --threads must be at least 2: the blocked handler holds one thread\n", argv[0]);
    return std::nullopt;
  }
  return parsed;
}

}  // namespace stuck_actor_sample
