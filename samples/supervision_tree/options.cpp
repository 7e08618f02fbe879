#include "options.hpp"

#include "../common/args.hpp"

#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>

namespace supervision_tree {

namespace {

constexpr const char* usage = R"(usage: %s [--manual] [--quiet] [--threads T]
          [--SUP-strategy one_for_one|one_for_all|rest_for_one] [--SUP-intensity R] ...

A two-level supervision tree plays a scripted series of crashes. After each
step it prints the tree as the supervisors report it (which_children), checks
it against OTP's rules, and ends with a crash loop that makes the storage
subsystem give up: the root restarts it.

  --manual             deterministic: weir's manual executor on virtual time
                       (default: a thread pool, real time, about 2.5 s)
  --quiet              weir's log at warn: crashes, no restart lines
  --threads T          pool threads (default: one per core)
  --SUP-strategy S     the restart strategy of supervisor SUP
  --SUP-intensity R    at most R restarts in SUP's period, then SUP gives up
                       (R = 0: give up at the first exit)

SUP is root, ingest, storage or api. Defaults:
  root     one_for_one,  3 restarts in 10 s
  ingest   one_for_one,  3 restarts in 5 s
  storage  rest_for_one, 3 restarts in 5 s
  api      one_for_all,  1 restart in 5 s

Exit status: 0 if the tree behaved as OTP's rules predict for these flags;
1 if it did not (the differences are printed); 2 for a bad command line;
3 if the root itself gave up (e.g. --root-intensity 0): its exit reason,
returned by system::wait_for(root), is printed.
)";

bool parse_count(std::string_view text, int& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size() && out >= 0;
}

bool parse_strategy(std::string_view text, weir::restart_strategy& out) {
  for (auto s : {weir::restart_strategy::one_for_one, weir::restart_strategy::one_for_all,
                 weir::restart_strategy::rest_for_one}) {
    if (text == to_string(s)) {
      out = s;
      return true;
    }
  }
  return false;
}

// The flags of the supervisor a "--SUP-..." flag names; nullptr if none.
weir::supervisor_flags* flags_named(tree_layout& tree, std::string_view sup) {
  if (sup == tree.root_name) return &tree.root_flags;
  for (auto& s : tree.subsystems) {
    if (sup == s.name) return &s.flags;
  }
  return nullptr;
}

bool bad_value(const char* program, std::string_view flag, std::string_view value, const char* wanted) {
  std::fprintf(stderr, "%s: %.*s needs %s, got '%.*s'\n", program, static_cast<int>(flag.size()), flag.data(),
               wanted, static_cast<int>(value.size()), value.data());
  return false;
}

// --SUP-strategy S or --SUP-intensity R; false (after saying why) if it is neither or the value is bad.
bool parse_supervisor_flag(options& parsed, const char* program, std::string_view flag, std::string_view value) {
  const auto dash = flag.rfind('-');
  const bool shaped = flag.starts_with("--") && dash != std::string_view::npos && dash > 2;
  weir::supervisor_flags* target = shaped ? flags_named(parsed.tree, flag.substr(2, dash - 2)) : nullptr;
  const std::string_view field = shaped ? flag.substr(dash + 1) : std::string_view{};
  if (target == nullptr || (field != "strategy" && field != "intensity")) {
    std::fprintf(stderr, "%s: unknown flag %.*s\n", program, static_cast<int>(flag.size()), flag.data());
    return false;
  }
  if (field == "strategy") {
    return parse_strategy(value, target->strategy) ||
           bad_value(program, flag, value, "one_for_one, one_for_all or rest_for_one");
  }
  return parse_count(value, target->intensity) || bad_value(program, flag, value, "a whole number >= 0");
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
    if (i + 1 == argc) {
      std::fprintf(stderr, usage, argv[0]);
      return std::nullopt;
    }
    const std::string_view value = argv[++i];
    if (flag == "--threads") {
      if (!samples::parse_positive(value, parsed.threads)) {
        bad_value(argv[0], flag, value, "a positive integer");
        return std::nullopt;
      }
      continue;
    }
    if (!parse_supervisor_flag(parsed, argv[0], flag, value)) {
      std::fprintf(stderr, "(%s --help for usage)\n", argv[0]);
      return std::nullopt;
    }
  }
  return parsed;
}

}  // namespace supervision_tree
