#include "printer.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace supervision_tree {

namespace {

const row* find_row(const snapshot* rows, const std::string& path) {
  if (rows == nullptr) return nullptr;
  const auto found = std::find_if(rows->begin(), rows->end(), [&](const row& r) { return r.path == path; });
  return found == rows->end() ? nullptr : &*found;
}

std::string parent_of(const std::string& path) { return path.substr(0, path.rfind('/')); }

std::string flags_of(const row& r, const tree_layout& tree) {
  if (r.depth == 0) return describe(tree.root_flags);
  const subsystem_layout* sub = tree.find(r.path.substr(r.path.rfind('/') + 1));
  return sub ? describe(sub->flags) : "";
}

// What happened to `r` since `before`: "" when nothing worth a mark.
std::string change(const row& r, const snapshot& now, const snapshot* before) {
  const row* was = find_row(before, r.path);
  if (was == nullptr) return "";
  if (r.restarts > was->restarts) return "<- restarted";
  if (was->running && !r.running) return "<- exited, left down";
  const row* sup_was = find_row(before, parent_of(r.path));
  const row* sup_now = find_row(&now, parent_of(r.path));
  if (sup_was != nullptr && sup_now != nullptr && sup_now->restarts > sup_was->restarts) {
    return "<- started anew by the fresh " + sup_now->path.substr(sup_now->path.rfind('/') + 1);
  }
  return "";
}

}  // namespace

void print_tree(std::FILE* out, const snapshot& now, const snapshot* before, const tree_layout& tree) {
  std::size_t width = 0;
  for (const row& r : now) width = std::max(width, 2 * static_cast<std::size_t>(r.depth) + r.path.size());
  for (const row& r : now) {
    const std::string indent(2 * static_cast<std::size_t>(r.depth), ' ');
    const std::string label = indent + r.path;
    const std::string state = !r.known ? "unknown" : r.running ? "running" : "DOWN";
    const std::string restarts = r.depth == 0 ? "" : "restarts=" + std::to_string(r.restarts);
    const std::string detail = r.depth < 2 ? flags_of(r, tree) : r.items ? "items=" + std::to_string(*r.items) : "";
    char line[512];
    std::snprintf(line, sizeof line, "    %-*s  %-7s  %-11s %-41s %s", static_cast<int>(width), label.c_str(),
                  state.c_str(), restarts.c_str(), detail.c_str(), change(r, now, before).c_str());
    std::string text = line;
    text.erase(text.find_last_not_of(' ') + 1);
    std::fprintf(out, "%s\n", text.c_str());
  }
}

}  // namespace supervision_tree
