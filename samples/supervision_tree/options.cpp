#include "options.hpp"

#include "../common/options.hpp"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace supervision_tree {

namespace {

constexpr const char* synopsis = R"([--manual] [--quiet] [--threads T] [--SUP-strategy S] [--SUP-intensity R] ...

A two-level supervision tree plays a scripted series of crashes. After each
step it prints the tree as the supervisors report it (which_children), checks
it against OTP's rules, and ends with a crash loop that makes the storage
subsystem give up: the root restarts it.

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

// Every supervisor's flags, by name: the root's first.
std::vector<std::pair<std::string, weir::supervisor_flags*>> supervisors(tree_layout& tree) {
  std::vector<std::pair<std::string, weir::supervisor_flags*>> all{{tree.root_name, &tree.root_flags}};
  for (auto& s : tree.subsystems) all.emplace_back(s.name, &s.flags);
  return all;
}

}  // namespace

options parse_options(int argc, char** argv) {
  options parsed;
  samples::po::options_description flags("options");
  flags.add_options()                                                                                   //
      ("manual", "deterministic: weir's manual executor on virtual time (default: a thread pool, real time, "
                 "about 2.5 s)")                                                                        //
      ("quiet", "weir's log at warn: crashes, no restart lines")                                         //
      ("threads", samples::po::value<samples::positive>(), "pool threads (default: one per core)");
  for (const auto& [name, sup] : supervisors(parsed.tree)) {
    flags.add_options()                                                                                        //
        ((name + "-strategy").c_str(), samples::po::value<std::string>(),
         ("the restart strategy of " + name + ": one_for_one|one_for_all|rest_for_one").c_str())  //
        ((name + "-intensity").c_str(), samples::po::value<unsigned>(),
         ("at most R restarts in " + name + "'s period, then it gives up (0: at the first exit)").c_str());
  }
  const auto values = samples::parse(argc, argv, synopsis, flags);
  parsed.manual = values.count("manual") != 0;
  parsed.quiet = values.count("quiet") != 0;
  if (values.count("threads") != 0) parsed.threads = values["threads"].as<samples::positive>();
  for (const auto& [name, sup] : supervisors(parsed.tree)) {
    if (values.count(name + "-intensity") != 0) sup->intensity = static_cast<int>(values[name + "-intensity"].as<unsigned>());
    if (values.count(name + "-strategy") == 0) continue;
    samples::require_one_of(values, name + "-strategy", {"one_for_one", "one_for_all", "rest_for_one"});
    const std::string& s = values[name + "-strategy"].as<std::string>();
    sup->strategy = s == "one_for_one"   ? weir::restart_strategy::one_for_one
                    : s == "one_for_all" ? weir::restart_strategy::one_for_all
                                         : weir::restart_strategy::rest_for_one;
  }
  return parsed;
}

}  // namespace supervision_tree
