#include "options.hpp"

#include "../common/args.hpp"

#include <cstdio>
#include <string_view>

namespace deadlock_sample {

namespace {

constexpr const char* usage = R"(usage: %s [--remedy report|fail_one|grant_credit] [--manual]
          [--requests N] [--capacity C] [--threads T] [--quiet]

A coordinator and its worker, both under a supervisor, joined by bounded
edges both ways: requests down, results up. The coordinator sends all N
requests before it reads a result, the worker answers each one: both sides
send at once, both edges fill, and each actor is suspended waiting for
credit from the other. weir reports the cycle from the wait that closes it,
inside that turn, naming both actors and both edges; then applies the remedy.

  --remedy R     what weir does about the cycle (system_config::deadlock):
                   grant_credit  one edge of the cycle gets one credit beyond
                                 its capacity, so its sender resumes (default)
                   fail_one      the actor whose wait closed the cycle crashes;
                                 the supervisor restarts it, its mailbox kept
                   report        nothing: the cycle stays, the program sees
                                 no progress and says so
  --manual       deterministic: weir's manual executor, one turn per step,
                 and the step the report was made in is printed
                 (default: a thread pool in real time)
  --requests N   requests to send (default 10; at least 2 x capacity + 2:
                 each side fills its edge and holds one more; past that
                 the cycle forms again after each remedy)
  --capacity C   capacity of both edges (default 4)
  --threads T    pool threads (default: one per core)
  --quiet        weir's log at warn: no restart lines

Exit status: 0 if the remedy let the run finish and the accounting is exact
(every request handled once, every result received once); 3 with --remedy
report, when the cycle was reported and stayed in place (what was asked
for: nothing progressed afterwards, in manual mode once nothing was left to
run, in real time after 0.5 s); 1 if anything else happened (printed); 2
for a bad command line.
)";

bool bad_value(const char* program, std::string_view flag, std::string_view value, const char* wanted) {
  std::fprintf(stderr, "%s: %.*s needs %s, got '%.*s'\n", program, static_cast<int>(flag.size()), flag.data(),
               wanted, static_cast<int>(value.size()), value.data());
  return false;
}

bool parse_remedy(std::string_view text, weir::deadlock_remedy& out) {
  for (auto r : {weir::deadlock_remedy::report, weir::deadlock_remedy::fail_one, weir::deadlock_remedy::grant_credit}) {
    if (text == to_string(r)) {
      out = r;
      return true;
    }
  }
  return false;
}

bool parse_value(options& parsed, const char* program, std::string_view flag, std::string_view value) {
  if (flag == "--remedy") {
    return parse_remedy(value, parsed.remedy) || bad_value(program, flag, value, "report, fail_one or grant_credit");
  }
  std::size_t* target = flag == "--requests"   ? &parsed.requests
                        : flag == "--capacity" ? &parsed.capacity
                        : flag == "--threads"  ? &parsed.threads
                                               : nullptr;
  if (target == nullptr) return false;  // the caller says it is unknown
  return samples::parse_positive(value, *target) || bad_value(program, flag, value, "a positive integer");
}

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
    if (flag == "--manual" || flag == "--quiet") {
      (flag == "--manual" ? parsed.manual : parsed.quiet) = true;
      continue;
    }
    const bool known = flag == "--remedy" || flag == "--requests" || flag == "--capacity" || flag == "--threads";
    if (known && i + 1 == argc) std::fprintf(stderr, "%s: %s needs a value\n", argv[0], argv[i]);
    if (i + 1 == argc || !parse_value(parsed, argv[0], flag, argv[i + 1])) {
      if (!known) std::fprintf(stderr, "%s: unknown flag %s\n", argv[0], argv[i]);
      std::fprintf(stderr, "(%s --help for usage)\n", argv[0]);
      return std::nullopt;
    }
    ++i;
  }
  if (parsed.requests < 2 * parsed.capacity + 2) {
    std::fprintf(stderr,
                 "%s: --requests %zu < 2 x --capacity %zu + 2: the worker could hand back every result before the "
                 "coordinator runs out of credit, and nothing would deadlock\n",
                 argv[0], parsed.requests, parsed.capacity);
    return std::nullopt;
  }
  return parsed;
}

}  // namespace deadlock_sample
