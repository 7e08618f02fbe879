#include "reporter.hpp"

#include "station.hpp"

#include <weir/system.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace supervision_tree {

using namespace std::chrono_literals;

namespace {

// Supervisors and stations answer in one turn; this only bounds a reply
// that will never come (its receiver stopped meanwhile: that is no_reply).
constexpr weir::clock::duration ask_timeout = 2s;

}  // namespace

/// A row with its children. A node's children are filled once, before any
/// ask about them is sent, so the references the asks keep stay valid.
struct reporter::node {
  row info;
  std::vector<node> children;

  void flatten(snapshot& out) const {
    out.push_back(info);
    for (const node& c : children) c.flatten(out);
  }
};

/// One snapshot in the making: done when no ask is pending any more.
struct reporter::walk {
  std::promise<snapshot> reply;
  node root;
  int pending = 0;
};

reporter::reporter(weir::handle<weir::supervisor> root) : root_(std::move(root)) {}

void reporter::on_message(take_snapshot& request) {
  auto w = std::make_shared<walk>();
  w->reply = std::move(request.reply);
  w->root.info = row{.path = root_.path(), .depth = 0, .running = !root_.stopped(), .restarts = 0, .items = {},
                     .known = true};
  w->pending = 1;  // this turn itself: no reply can finish the walk before every ask is sent
  if (w->root.info.running) ask_children(w, w->root, root_);
  done_one(w);
}

void reporter::ask_children(const std::shared_ptr<walk>& w, node& parent, const weir::handle<weir::supervisor>& sup) {
  ++w->pending;
  ask(
      sup, weir::which_children{}, ask_timeout,
      [this, w, &parent](std::vector<weir::child_info>& infos) {
        parent.children.resize(infos.size());
        for (std::size_t i = 0; i < infos.size(); ++i) {
          node& child = parent.children[i];
          child.info = row{.path = infos[i].path, .depth = parent.info.depth + 1, .running = infos[i].running,
                           .restarts = infos[i].restarts, .items = {}, .known = true};
          if (!infos[i].running) continue;
          if (infos[i].kind == weir::child_kind::supervisor) {
            if (auto sub = system().find<weir::supervisor>(infos[i].path)) ask_children(w, child, *sub);
          } else {
            ask_items(w, child);
          }
        }
        done_one(w);
      },
      [w, &parent](weir::ask_error) {
        parent.info.known = false;
        done_one(w);
      });
}

void reporter::ask_items(const std::shared_ptr<walk>& w, node& worker) {
  const auto target = system().find<station>(worker.info.path);
  if (!target) return;  // stopped since its supervisor answered: no count to show
  ++w->pending;
  ask(
      *target, items_seen{}, ask_timeout,
      [w, &worker](std::uint64_t& items) {
        worker.info.items = items;
        done_one(w);
      },
      [w](weir::ask_error) { done_one(w); });
}

void reporter::done_one(const std::shared_ptr<walk>& w) {
  if (--w->pending > 0) return;
  snapshot rows;
  w->root.flatten(rows);
  w->reply.set_value(std::move(rows));
}

}  // namespace supervision_tree
