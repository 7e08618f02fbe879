#include "snapshot.hpp"

#include <algorithm>

namespace supervision_tree {

namespace {

std::string state(const row& r) {
  return std::string(r.running ? "running" : "down") + ", restarts=" + std::to_string(r.restarts);
}

}  // namespace

std::vector<std::string> differences(const snapshot& expected, const snapshot& observed) {
  std::vector<std::string> out;
  for (const row& want : expected) {
    const auto got = std::find_if(observed.begin(), observed.end(), [&](const row& r) { return r.path == want.path; });
    if (got == observed.end()) {
      out.push_back(want.path + ": expected " + state(want) + ", but it is not in the tree");
    } else if (!got->known) {
      out.push_back(want.path + ": expected " + state(want) + ", but its supervisor did not answer");
    } else if (got->running != want.running || got->restarts != want.restarts) {
      out.push_back(want.path + ": expected " + state(want) + ", observed " + state(*got));
    }
  }
  for (const row& got : observed) {
    const bool predicted =
        std::any_of(expected.begin(), expected.end(), [&](const row& r) { return r.path == got.path; });
    if (!predicted) out.push_back(got.path + ": not expected in the tree, observed " + state(got));
  }
  return out;
}

}  // namespace supervision_tree
